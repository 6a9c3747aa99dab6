"""POST /3/costcenters as Fortnox's OpenAPI document says: Code and Description required, Code at
most 6 characters, a duplicate refused 400 with ErrorInformation, the costcenter scope needed."""

from __future__ import annotations

import pytest

from sandbox import spec
from tests.sandbox.conftest import Fortnox, error_of


def test_the_spec_requires_code_and_description() -> None:
    schema = spec.schema("fortnox_CostCenter")
    assert set(schema["required"]) == {"Code", "Description"}
    assert schema["properties"]["Code"]["maxLength"] == 6


def test_a_cost_center_is_created_once_and_a_duplicate_refused(fortnox: Fortnox) -> None:
    body = {"CostCenter": {"Code": "B01", "Description": "Butik Bryggan"}}
    made = fortnox.post("/3/costcenters", body)
    assert made.status_code == 201
    assert made.json["CostCenter"] == {
        "@url": "http://localhost/3/costcenters/B01",
        "Code": "B01",
        "Description": "Butik Bryggan",
        "Note": "",
        "Active": True,
    }
    again = fortnox.post("/3/costcenters", body)
    assert again.status_code == 400
    assert error_of(again) == {"error": 1, "message": "Kostnadsstället B01 finns redan.",
                               "code": 2009203}  # fmt: skip
    codes = [c["Code"] for c in fortnox.get("/3/costcenters").json["CostCenters"]]
    assert codes.count("B01") == 1


@pytest.mark.parametrize(
    ("center", "field"),
    [
        ({"Code": "B02"}, "Description"),
        ({"Code": "B02", "Description": ""}, "Description"),
        ({"Description": "Butik"}, "Code"),
        ({"Code": "", "Description": "Butik"}, "Code"),
    ],
)
def test_a_required_field_missing_is_refused(fortnox: Fortnox, center: dict, field: str) -> None:
    answer = fortnox.post("/3/costcenters", {"CostCenter": center})
    assert answer.status_code == 400
    assert error_of(answer)["message"] == f"Fältet {field} är obligatoriskt."
    assert fortnox.get("/3/costcenters/B02").status_code == 404


def test_a_code_longer_than_six_characters_is_refused(fortnox: Fortnox) -> None:
    answer = fortnox.post("/3/costcenters", {"CostCenter": {"Code": "BUTIK07", "Description": "x"}})
    assert answer.status_code == 400
    assert error_of(answer)["message"] == "Fältet Code får vara högst 6 tecken."


def test_an_unknown_field_is_refused(fortnox: Fortnox) -> None:
    body = {"CostCenter": {"Code": "B03", "Description": "x", "Colour": "red"}}
    answer = fortnox.post("/3/costcenters", body)
    assert answer.status_code == 400 and error_of(answer)["code"] == 2001399


def test_without_the_costcenter_scope_fortnox_says_no_licence(fortnox: Fortnox) -> None:
    fortnox.connect(fortnox.tenant, scope="bookkeeping companyinformation")
    answer = fortnox.post("/3/costcenters", {"CostCenter": {"Code": "B04", "Description": "x"}})
    assert answer.status_code == 403 and error_of(answer)["code"] == 2001101
