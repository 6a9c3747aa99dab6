"""Query parameters as Fortnox reads them: documented ones only, text searched with ILIKE."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.app import create_app
from sandbox.testing import SandboxServer
from tests.sandbox.conftest import CLIENT_ID, REDIRECT, SECRET, TODAY, Fortnox, error_of


def _order(fortnox: Fortnox, ref: str, customer: str = "1002") -> str:
    """Create an order carrying ref in ExternalInvoiceReference1 and YourOrderNumber."""
    body = {
        "Order": {
            "CustomerNumber": customer,
            "ExternalInvoiceReference1": ref,
            "YourOrderNumber": ref,
            "OrderRows": [{"OrderedQuantity": 1, "Price": 10, "VAT": 25}],
        }
    }
    response = fortnox.post("/3/orders", body)
    assert response.status_code == 201, response.data
    return response.json["Order"]["DocumentNumber"]


def _numbers(fortnox: Fortnox, path: str) -> list[str]:
    """DocumentNumbers of a listing."""
    response = fortnox.get(path)
    assert response.status_code == 200, response.data
    listed = next(v for k, v in response.json.items() if k != "MetaInformation")
    return [d["DocumentNumber"] for d in listed]


def test_text_search_is_a_case_insensitive_substring(fortnox: Fortnox) -> None:
    """externalinvoicereference1, customername, yourreference… match like ILIKE '%value%'."""
    first = _order(fortnox, "KB:S12-R1-104233")
    second = _order(fortnox, "KB:S12-R1-1042")
    third = _order(fortnox, "KB:S14-R1-9")
    assert _numbers(fortnox, "/3/orders?externalinvoicereference1=KB:S12-R1-1042") == [
        first,
        second,
    ]
    assert _numbers(fortnox, "/3/orders?externalinvoicereference1=kb:s14") == [third]
    assert _numbers(fortnox, "/3/orders?externalinvoicereference1=-R1-") == [first, second, third]
    name = fortnox.get(f"/3/orders/{first}").json["Order"]["CustomerName"]
    assert _numbers(fortnox, f"/3/orders?customername={name[2:6].upper()}") == [
        first,
        second,
        third,
    ]


def test_numbers_and_codes_match_exactly(fortnox: Fortnox) -> None:
    """documentnumber and customernumber are not substrings: 100 finds neither 1001 nor 10."""
    made = [_order(fortnox, f"KB:{n}") for n in range(11)]
    assert _numbers(fortnox, "/3/orders?documentnumber=1") == ["1"]
    assert _numbers(fortnox, "/3/orders?customernumber=100") == []
    assert len(_numbers(fortnox, "/3/orders?customernumber=1002")) == len(made)


def test_a_parameter_the_path_does_not_document_is_ignored(fortnox: Fortnox) -> None:
    """GET /3/orders has no yourordernumber: Fortnox answers every order (the harsher case)."""
    ours = _order(fortnox, "KB:S12-R1-1")
    other = _order(fortnox, "SOMEONE-ELSE")
    assert _numbers(fortnox, "/3/orders?yourordernumber=KB:S12-R1-1") == [ours, other]
    invoices = fortnox.get("/3/invoices?yourordernumber=nothing-like-it")  # documented there
    assert invoices.status_code == 200 and invoices.json["Invoices"] == []
    accounts = fortnox.get("/3/accounts?bogus=1&sru=0").json["Accounts"]
    assert accounts and all(a["SRU"] == 0 for a in accounts)


@pytest.fixture
def strict(tmp_path: Path) -> Fortnox:
    """A sandbox started with strict_params, one seeded company connected."""
    app = create_app(tmp_path, strict_params=True, clients=[(CLIENT_ID, SECRET, REDIRECT)])
    fx = Fortnox(app.test_client())
    fx.tenant = fx.create_tenant()
    fx.connect(fx.tenant)
    return fx


def test_strict_params_answers_400_to_an_undocumented_parameter(strict: Fortnox) -> None:
    """The option's 400 is Fortnox's invalid-parameter error (2000588), naming the parameter."""
    refused = strict.get("/3/orders?yourordernumber=KB:S12-R1-1")
    assert refused.status_code == 400 and error_of(refused)["code"] == 2000588
    assert "yourordernumber" in error_of(refused)["message"]
    for fine in (
        "/3/orders?externalinvoicereference1=KB&limit=500&page=1",
        f"/3/vouchers?fromdate={TODAY}&todate={TODAY}&lastmodified=2000-01-01 00:00",
        "/3/vouchers/sublist/A?financialyear=1",
        f"/3/financialyears?date={TODAY}",
        "/3/invoices?sortby=documentnumber&sortorder=descending",
    ):
        assert strict.get(fine).status_code == 200, fine


def test_strict_params_can_be_switched_and_reset_restores_the_start(fortnox: Fortnox) -> None:
    """PUT /_sandbox/options turns it on; POST /_sandbox/reset goes back to the start flag."""
    assert fortnox.get("/3/orders?yourordernumber=X").status_code == 200
    turned = fortnox.client.put("/_sandbox/options", json={"strict_params": True})
    assert turned.json == {"strict_params": True}
    assert fortnox.get("/3/orders?yourordernumber=X").status_code == 400
    bad = fortnox.client.put("/_sandbox/options", json={"strict_params": "yes"})
    assert bad.status_code == 400
    fortnox.client.post("/_sandbox/reset")
    tenant = fortnox.create_tenant()
    fortnox.connect(tenant)
    assert fortnox.get("/3/orders?yourordernumber=X").status_code == 200


def test_the_server_helper_passes_the_flag() -> None:
    """SandboxServer(strict_params=True) starts `serve --strict-params`; False leaves it out."""
    for flag, expected in ((True, True), (False, False)):
        server = SandboxServer(strict_params=flag)
        assert ("--strict-params" in server.command()) is expected
        server.stop()
