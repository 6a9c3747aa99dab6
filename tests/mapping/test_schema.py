"""The pure mapping document: BAS default, validation problems, diff."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.mapping.schema import (
    Problem,
    bas_default,
    diff_mappings,
    normalized,
    validate_mapping,
    with_defaults_applied,
)


def test_bas_default_is_exactly_the_spec_values() -> None:
    assert bas_default() == {
        "schema": "kassabok.mapping/1",
        "payment_methods": {
            "CASH": "1910",
            "CARD": "1580",
            "SWISH": "1930",
            "GIFT_CARD": "2420",
            "INVOICE": "1510",
        },
        "sales": {"*:25": "3001", "*:12": "3002", "*:6": "3003", "*:0": "3004"},
        "vat": {"25": "2611", "12": "2621", "6": "2631"},
        "other": {
            "TIPS": "2890",
            "GIFT_CARDS_SOLD": "2420",
            "ROUNDING": "3740",
            "CASH_DIFFERENCE": "3990",
            "FEES": "6570",  # issue 17: payout fees, BAS 6570 Bankkostnader
        },
    }
    assert validate_mapping(bas_default()) == []
    assert bas_default() is not bas_default()


def test_spec_example_file_is_valid() -> None:
    data = bas_default()
    data["sales"]["FOOD:12"] = "3002"
    data["stores"] = {"S12": {"name": "Café Centrum", "cost_center": "S12"}}
    assert validate_mapping(data) == []


def test_defaults_applied_keep_own_codes_and_reset_standard_ones() -> None:
    mine = bas_default()
    mine["payment_methods"].update({"AMEX": "1581", "CASH": "1911"})
    result = with_defaults_applied(mine)
    assert result["payment_methods"]["AMEX"] == "1581"
    assert result["payment_methods"]["CASH"] == "1910"
    assert with_defaults_applied({}) == bas_default()


def _with(section: str, key: str, value: Any) -> dict[str, Any]:
    data = bas_default()
    data[section][key] = value
    return data


BAD = [
    (_with("payment_methods", "CASH", "191"), "/payment_methods/CASH", "4 digits"),
    (_with("payment_methods", "CASH", "19100"), "/payment_methods/CASH", "4 digits"),
    (_with("payment_methods", "CASH", "19a0"), "/payment_methods/CASH", "4 digits"),
    (
        _with("payment_methods", "CASH", 1910),
        "/payment_methods/CASH",
        'string of 4 digits, e.g. "1910"',
    ),
    (_with("payment_methods", "CASH", None), "/payment_methods/CASH", "4 digits"),
    (_with("payment_methods", "amex", "1580"), "/payment_methods/amex", "POS code"),
    (_with("sales", "FOOD", "3002"), "/sales/FOOD", "GROUP:RATE"),
    (_with("sales", "FOOD:13", "3002"), "/sales/FOOD:13", "25, 12, 6 or 0"),
    (_with("sales", "food:12", "3002"), "/sales/food:12", "GROUP:RATE"),
    (_with("vat", "0", "2611"), "/vat/0", "25, 12 and 6"),
    (_with("vat", "12", "26"), "/vat/12", "4 digits"),
    (_with("other", "TIP", "2890"), "/other/TIP", "TIPS"),
    ({**bas_default(), "schema": "kassabok.mapping/2"}, "/schema", "kassabok.mapping/1"),
    ({**bas_default(), "extras": {}}, "/extras", "unknown section"),
    ({**bas_default(), "vat": ["2611"]}, "/vat", "must be an object"),
    ({**bas_default(), "stores": []}, "/stores", "must be an object"),
    ({**bas_default(), "stores": {"S12": "S12"}}, "/stores/S12", "cost_center"),
    (
        {**bas_default(), "stores": {"s 12": {"name": "x", "cost_center": "S"}}},
        "/stores/s 12",
        "store id",
    ),
    (
        {**bas_default(), "stores": {"S12": {"name": "", "cost_center": "S12"}}},
        "/stores/S12/name",
        "name",
    ),
    (
        {**bas_default(), "stores": {"S12": {"name": "C", "cost_center": "S 12"}}},
        "/stores/S12/cost_center",
        "cost center",
    ),
    (
        {**bas_default(), "stores": {"S12": {"name": "C", "cost_center": "S", "x": 1}}},
        "/stores/S12/x",
        "unknown field",
    ),
    ([], "", "JSON object"),
]


@pytest.mark.parametrize(("data", "path", "says"), BAD)
def test_each_problem_names_its_path_and_the_fix(data: Any, path: str, says: str) -> None:
    problems = validate_mapping(data)
    assert [p.path for p in problems] == [path]
    assert says in problems[0].message


def test_a_missing_section_is_a_problem_and_every_problem_is_reported() -> None:
    data = copy.deepcopy(bas_default())
    del data["vat"]
    data["payment_methods"]["X"] = "1"
    data["other"]["TIPS"] = "28900"
    problems = validate_mapping(data)
    assert {p.path for p in problems} == {"/vat", "/payment_methods/X", "/other/TIPS"}
    assert 'add "vat": {}' in next(p for p in problems if p.path == "/vat").message


def test_bad_key_and_bad_account_are_both_reported() -> None:
    problems = validate_mapping(_with("sales", "X:5", "1"))
    assert len(problems) == 2 and {p.path for p in problems} == {"/sales/X:5"}


def test_a_pointer_escapes_slashes() -> None:
    assert validate_mapping(_with("payment_methods", "A/B", "1910")) == [
        Problem(
            "/payment_methods/A~1B",
            validate_mapping(_with("payment_methods", "A/B", "1910"))[0].message,
        )
    ]


def test_diff_lists_added_removed_changed_in_section_order() -> None:
    old = bas_default()
    new = copy.deepcopy(old)
    new["payment_methods"]["AMEX"] = "1581"
    new["vat"]["12"] = "2622"
    del new["other"]["TIPS"]
    rows = diff_mappings(old, new)
    assert [(r.key, r.change, r.old, r.new) for r in rows] == [
        ("payment_methods/AMEX", "added", None, "1581"),
        ("vat/12", "changed", "2621", "2622"),
        ("other/TIPS", "removed", "2890", None),
    ]
    assert diff_mappings(old, old) == []
    assert len(diff_mappings(None, old)) == 17  # every BAS key, FEES (6570) included


def test_diff_covers_stores() -> None:
    a = {"stores": {"S12": {"name": "A", "cost_center": "S12"}}}
    b = {"stores": {"S12": {"name": "B", "cost_center": "S12"}}}
    assert [(r.key, r.old, r.new) for r in diff_mappings(a, b)] == [("stores/S12/name", "A", "B")]


def test_normalized_drops_stores_and_sorts() -> None:
    data = {**bas_default(), "stores": {"S1": {"name": "n", "cost_center": "c"}}}
    result = normalized(data)
    assert "stores" not in result and list(result["vat"]) == ["12", "25", "6"]
