"""validate_closure, parse_json_body and canonical_hash: the ingest gate for POS closures."""

from __future__ import annotations

import copy
import dataclasses
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.closures.validate import (
    MAX_DEPTH,
    Problem,
    canonical_hash,
    parse_json_body,
    validate_closure,
)
from tests.closure_strategies import json_values, valid_closures

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "closures"


def load(name: str = "cafe-full-day") -> dict[str, Any]:
    """A fixture closure, fresh for each call."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def pointers(payload: object) -> list[str]:
    """The pointers of every problem with payload."""
    return [p.pointer for p in validate_closure(payload)]


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_every_fixture_is_valid(path: Path) -> None:
    assert validate_closure(json.loads(path.read_text(encoding="utf-8"))) == []


def test_problem_is_a_frozen_pointer_and_message() -> None:
    problem = Problem("/sales/0/gross", "fix it")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.pointer = ""  # type: ignore[misc]


def test_root_must_be_an_object() -> None:
    [problem] = validate_closure([1, 2])
    assert problem.pointer == "" and "JSON object" in problem.message


def test_every_schema_error_is_collected_with_its_pointer() -> None:
    closure = load()
    del closure["currency"]
    closure["surprise"] = 1
    closure["business_date"] = "2026-02-30"
    closure["closed_at"] = "24/11/2026 18:14"
    closure["payments"][1]["method"] = "card"
    closure["sales"][2]["vat_rate"] = "7"
    closure["z_number"] = "457"
    closure["revision"] = 0
    assert sorted(pointers(closure)) == sorted(
        [
            "/currency",
            "/surprise",
            "/business_date",
            "/closed_at",
            "/payments/1/method",
            "/sales/2/vat_rate",
            "/z_number",
            "/revision",
        ]
    )


def test_messages_say_what_to_fix() -> None:
    closure = load()
    closure["sales"][0]["gros"] = closure["sales"][0].pop("gross")
    problems = {p.pointer: p.message for p in validate_closure(closure)}
    assert "missing" in problems["/sales/0/gross"]
    assert 'Did you mean "gross"?' in problems["/sales/0/gros"]


@pytest.mark.parametrize("number", [1840.0, 1840, Decimal("1840.00")])
def test_amount_as_json_number_gets_a_friendly_message(number: object) -> None:
    closure = load()
    closure["payments"][0]["amount"] = number
    [problem] = validate_closure(closure)
    assert problem.pointer == "/payments/0/amount"
    assert "JSON number" in problem.message and '"1840.00"' in problem.message


def test_float_amount_from_a_parsed_body_is_refused() -> None:
    body = json.dumps(load()).replace('"1840.00"', "1840.00", 1).encode()
    payload, problems = parse_json_body(body)
    assert problems == []
    assert pointers(payload) == ["/payments/0/amount"]


@pytest.mark.parametrize("amount", ["1,840.00", "1840.005", "01840", "1840.", " 1840", "1840\n"])
def test_malformed_amounts(amount: str) -> None:
    closure = load()
    closure["rounding"] = amount
    [problem] = validate_closure(closure)
    assert problem.pointer == "/rounding" and "decimal string" in problem.message


@pytest.mark.parametrize("stamp", ["2026-11-24T18:14:03Z", "2026-11-24T18:14:03.25+01:00"])
def test_rfc3339_date_times_pass(stamp: str) -> None:
    closure = load()
    closure["closed_at"] = stamp
    assert validate_closure(closure) == []


@pytest.mark.parametrize(
    "stamp", ["2026-11-24T18:14:03", "2026-11-24T24:00:00Z", "2026-11-24 18:14", "2026-11-24"]
)
def test_bad_date_times_fail(stamp: str) -> None:
    closure = load()
    closure["closed_at"] = stamp
    assert pointers(closure) == ["/closed_at"]


def test_invoice_sale_needs_lines() -> None:
    closure = load()
    closure["invoice_sales"][0]["lines"] = []
    assert pointers(closure) == ["/invoice_sales/0/lines"]


def test_balance_rules_wait_for_a_schema_pass() -> None:
    closure = load()
    closure["sales"][0]["gross"] = "1.00"
    closure["currency"] = "EUR"
    assert pointers(closure) == ["/currency"]


def test_gross_must_be_net_plus_vat() -> None:
    closure = load()
    closure["sales"][1]["gross"] = "3000.01"
    closure["payments"][1]["amount"] = "9550.01"
    [problem] = validate_closure(closure)
    assert problem.pointer == "/sales/1/gross" and "3000.00" in problem.message


def test_the_day_must_balance() -> None:
    closure = load()
    closure["payments"][2]["amount"] = "1200.50"
    [problem] = validate_closure(closure)
    assert problem.pointer == "/payments" and "13889.97" in problem.message


def test_invoice_payment_must_equal_invoice_sales() -> None:
    closure = load()
    closure["payments"][4]["amount"] = "959.97"
    closure["payments"][1]["amount"] = "9590.00"
    [problem] = validate_closure(closure)
    assert problem.pointer == "/payments/4/amount" and "999.97" in problem.message


def test_invoice_sales_need_an_invoice_payment() -> None:
    closure = load()
    closure["payments"].pop(4)
    closure["payments"][1]["amount"] = "10549.97"
    assert pointers(closure) == ["/payments"]


def test_invoice_payment_needs_invoice_sales() -> None:
    closure = load()
    del closure["invoice_sales"]
    closure["payments"][1]["amount"] = "9510.00"  # the invoice tip went with the sale
    assert pointers(closure) == ["/payments/4"]


def test_invoice_line_net_is_quantity_times_price_half_up() -> None:
    closure = load("invoice-without-customer-name")
    line = closure["invoice_sales"][0]["lines"][0]
    line.update(quantity="1.5", unit_price_net="0.55", net="0.82", vat="0.10")
    closure["payments"][1]["amount"] = "0.92"
    closure["payments"][0]["amount"] = "5599.08"
    [problem] = validate_closure(closure)
    assert problem.pointer == "/invoice_sales/0/lines/0/net" and "0.83" in problem.message


def test_invoice_lines_never_exceed_the_sales_line() -> None:
    closure = load("invoice-without-customer-name")
    closure["sales"] = [
        {"product_group": "FOOD", "vat_rate": "12", "net": "1000.00", "vat": "5600.00",
         "gross": "6600.00"},
        {"product_group": "FOOD", "vat_rate": "6", "net": "-1000.00", "vat": "0.00",
         "gross": "-1000.00"},
    ]  # fmt: skip
    [problem] = validate_closure(closure)
    assert problem.pointer == "/invoice_sales/0/lines/0" and "1785.80" in problem.message


def test_returns_on_account_are_bounded_by_the_returns_in_sales() -> None:
    closure = load("net-returns-day")
    closure["invoice_sales"] = [
        {"reference": "R1-9", "customer_number": "1", "lines": [
            {"description": "Return", "product_group": "BOOKS", "vat_rate": "6",
             "quantity": "-1", "unit_price_net": "471.70", "net": "-471.70", "vat": "-28.30"}]}
    ]  # fmt: skip
    closure["payments"] = [{"method": "INVOICE", "amount": "-500.00"}]
    assert validate_closure(closure) == []
    closure["invoice_sales"][0]["lines"][0].update(quantity="-2", net="-943.40", vat="-56.60")
    closure["payments"] = [
        {"method": "INVOICE", "amount": "-1000.00"},
        {"method": "CARD", "amount": "500.00"},
    ]
    assert pointers(closure) == ["/invoice_sales/0/lines/0"]


def test_cash_count_expected_is_the_cash_payment() -> None:
    closure = load()
    closure["cash_count"]["expected"] = "1800.00"
    [problem] = validate_closure(closure)
    assert problem.pointer == "/cash_count/expected" and "1840.00" in problem.message


def test_cash_count_without_cash_payment_expects_zero() -> None:
    closure = load("amex-custom-method")
    closure["cash_count"] = {"expected": "0.00", "counted": "0.00"}
    assert validate_closure(closure) == []
    closure["cash_count"]["expected"] = "5.00"
    assert pointers(closure) == ["/cash_count/expected"]


def test_invoice_references_are_unique() -> None:
    closure = load()
    closure["invoice_sales"].append(copy.deepcopy(closure["invoice_sales"][0]))
    closure["payments"][4]["amount"] = "1999.94"
    closure["sales"][0].update(net="9785.69", vat="1174.28", gross="10959.97")
    assert pointers(closure) == ["/invoice_sales/1/reference"]


def test_a_payment_method_appears_once() -> None:
    closure = load()
    closure["payments"][2]["method"] = "CARD"
    assert "/payments/2/method" in pointers(closure)


def test_tips_must_use_a_payment_method_present() -> None:
    closure = load()
    closure["tips"][0]["method"] = "AMEX"
    assert pointers(closure) == ["/tips/0/method"]


@pytest.mark.parametrize(
    "raw",
    [b"", b"   ", b'{"a": 1,}', b"\xff\xfe{}", b'{"a": NaN}', b'{"a": 1, "a": 2}',
     b"[" * 5000 + b"]" * 5000, b"{" * 100000, b"1" * 5000, b'{"a": "\xc3"}'],
)  # fmt: skip
def test_unreadable_bodies_get_one_root_problem(raw: bytes) -> None:
    payload, problems = parse_json_body(raw)
    assert payload is None
    [problem] = problems
    assert problem.pointer == "" and problem.message


def test_nesting_limit() -> None:
    ok = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert parse_json_body(ok)[1] == []
    deep = b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)
    assert "nested" in parse_json_body(deep)[1][0].message


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    payload, problems = parse_json_body(json.dumps({"a": "[" * 100 + '\\"{'}).encode())
    assert problems == [] and payload == {"a": "[" * 100 + '\\"{'}


def test_body_parses_with_bom_and_floats_as_decimal() -> None:
    payload, problems = parse_json_body(b'\xef\xbb\xbf{"x": 0.1}')
    assert problems == [] and payload == {"x": Decimal("0.1")}


def test_canonical_hash_ignores_layout_and_defaults_revision() -> None:
    closure = load()
    reordered = dict(reversed(list(closure.items())))
    assert canonical_hash(closure) == canonical_hash(reordered)
    without = {k: v for k, v in closure.items() if k != "revision"}
    assert canonical_hash(without) == canonical_hash(closure)
    closure["revision"] = 2
    assert canonical_hash(closure) != canonical_hash(without)
    assert len(canonical_hash(closure)) == 64


FAST = settings(max_examples=200, deadline=None)


@FAST
@given(valid_closures())
def test_generated_closures_are_valid(closure: dict) -> None:
    assert validate_closure(closure) == []
    payload, problems = parse_json_body(json.dumps(closure).encode())
    assert problems == [] and payload == closure


@FAST
@given(json_values)
def test_validate_never_raises_on_any_json(value: object) -> None:
    for problem in validate_closure(value):
        assert isinstance(problem, Problem) and problem.message
        assert problem.pointer == "" or problem.pointer.startswith("/")


@FAST
@given(valid_closures(), st.data())
def test_validate_never_raises_on_a_closure_with_one_value_replaced(
    closure: dict, data: st.DataObject
) -> None:
    node: Any = closure
    while isinstance(node, dict | list) and node and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
        if not isinstance(node[key], dict | list) or not data.draw(st.booleans()):
            node[key] = data.draw(json_values)
            break
        node = node[key]
    assert isinstance(validate_closure(closure), list)


@FAST
@given(st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_parse_json_body_never_raises(raw: bytes) -> None:
    payload, problems = parse_json_body(raw)
    assert not problems or payload is None
    assert all(p.pointer == "" for p in problems)
