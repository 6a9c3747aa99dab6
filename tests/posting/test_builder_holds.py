"""Holds: what keeps a closure from posting, collected and explained instead of guessed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.posting.builder import BuildSettings, build_voucher
from app.posting.holds import (
    Hold,
    HoldError,
    check_cash_difference,
    make_hold,
    unmapped_codes,
)
from tests.closure_strategies import BAS_MAPPING
from tests.posting.test_builder import INVOICE_OFF, INVOICE_ON, load, mapping


def holds_of(closure: dict, settings: BuildSettings = INVOICE_OFF, **changes: dict) -> list:
    """The holds build_voucher raises for closure under the BAS mapping with changes."""
    with pytest.raises(HoldError) as caught:
        build_voucher(closure, mapping(**changes), settings, "S12")
    return caught.value.holds


def test_unmapped_payment_method() -> None:
    [hold] = holds_of(load("amex-custom-method"))
    assert hold.code == "unmapped_payment_method" and hold.detail == {"method": "AMEX"}
    assert "AMEX" in hold.message and "AMEX" in hold.fix


def test_unmapped_sales() -> None:
    sales = {k: v for k, v in BAS_MAPPING["sales"].items() if k != "*:6"}
    [hold] = holds_of(load(), sales=sales)
    assert hold.code == "unmapped_sales" and hold.detail == {"group": "BOOKS", "rate": "6"}
    assert "BOOKS:6" in hold.fix and "*:6" in hold.fix


def test_unmapped_vat() -> None:
    [hold] = holds_of(load(), vat={"25": "2611", "12": "2621"})
    assert hold.code == "unmapped_vat" and hold.detail == {"rate": "6"}


@pytest.mark.parametrize("category", ["TIPS", "GIFT_CARDS_SOLD", "ROUNDING", "CASH_DIFFERENCE"])
def test_unmapped_other(category: str) -> None:
    other = {k: v for k, v in BAS_MAPPING["other"].items() if k != category}
    [hold] = holds_of(load(), other=other)
    assert hold.code == "unmapped_other" and hold.detail == {"category": category}


@pytest.mark.parametrize("account", ["", "19100", 1910, None, "19x0"])
def test_an_account_that_is_not_four_digits_is_unmapped(account: object) -> None:
    methods = {**BAS_MAPPING["payment_methods"], "CASH": account}
    [hold] = holds_of(load(), payment_methods=methods)
    assert hold.detail == {"method": "CASH"}


def test_every_missing_mapping_is_listed_at_once() -> None:
    holds = holds_of(load(), INVOICE_ON, payment_methods={}, sales={}, vat={}, other={})
    assert [(h.code, h.detail) for h in holds] == [
        ("unmapped_payment_method", {"method": "CASH"}),
        ("unmapped_payment_method", {"method": "CARD"}),
        ("unmapped_payment_method", {"method": "SWISH"}),
        ("unmapped_payment_method", {"method": "GIFT_CARD"}),
        ("unmapped_sales", {"group": "FOOD", "rate": "12"}),
        ("unmapped_sales", {"group": "DRINKS", "rate": "25"}),
        ("unmapped_sales", {"group": "BOOKS", "rate": "6"}),
        ("unmapped_vat", {"rate": "12"}),
        ("unmapped_vat", {"rate": "25"}),
        ("unmapped_vat", {"rate": "6"}),
        ("unmapped_other", {"category": "TIPS"}),
        ("unmapped_other", {"category": "GIFT_CARDS_SOLD"}),
        ("unmapped_other", {"category": "ROUNDING"}),
        ("unmapped_other", {"category": "CASH_DIFFERENCE"}),
    ]


def test_tip_on_invoice_not_allowed() -> None:
    [hold] = holds_of(load(), BuildSettings(invoice=True))
    assert hold.code == "tip_on_invoice_not_allowed"
    assert hold.detail == {"reference": "R1-104233", "tip": "40.00"}


def test_a_tip_on_an_invoice_sale_books_in_the_voucher_when_invoice_is_off() -> None:
    draft = build_voucher(load(), mapping(), BuildSettings(tip_on_invoice=False), "S12")
    assert not draft.is_empty


def test_invoice_rows_need_their_accounts_even_when_the_voucher_does_not() -> None:
    closure = load("invoice-without-customer-name")
    closure["sales"][0].update(net="1785.80", vat="214.30", gross="2000.10")
    closure["payments"] = [{"method": "INVOICE", "amount": "2000.10"}]
    sales = {k: v for k, v in BAS_MAPPING["sales"].items() if not k.endswith(":12")}
    [hold] = holds_of(closure, INVOICE_ON, sales=sales)
    assert hold.code == "unmapped_sales" and hold.detail == {"group": "FOOD", "rate": "12"}


def test_a_tip_row_needs_the_tips_account() -> None:
    other = {k: v for k, v in BAS_MAPPING["other"].items() if k != "TIPS"}
    closure = load("tip-on-invoice")
    closure["tips"] = []
    closure["payments"][0]["amount"] = "2000.00"
    [hold] = holds_of(closure, INVOICE_ON, other=other)
    assert hold.detail == {"category": "TIPS"}


@pytest.mark.parametrize(
    ("counted", "threshold", "has_note", "held"),
    [
        ("1820.00", "10.00", False, True),
        ("1860.00", "10.00", False, True),
        ("1820.00", "10.00", True, False),
        ("1820.00", "20.00", False, False),
        ("1840.00", "0.00", False, False),
    ],
)
def test_cash_difference_over_threshold(
    counted: str, threshold: str, has_note: bool, held: bool
) -> None:
    closure = load()
    closure["cash_count"]["counted"] = counted
    hold = check_cash_difference(closure, Decimal(threshold), has_note)
    assert (hold is not None) == held
    if hold:
        assert hold.code == "cash_difference_over_threshold" and hold.fix
        assert hold.detail["threshold"] == threshold


def test_no_cash_count_no_cash_difference() -> None:
    assert check_cash_difference(load("amex-custom-method"), Decimal(0), False) is None


def test_unmapped_codes() -> None:
    assert unmapped_codes(load(), BAS_MAPPING) == set()
    assert unmapped_codes(load("amex-custom-method"), BAS_MAPPING) == {"payment:AMEX"}
    assert unmapped_codes(load("positive-rounding-zero-vat"), {"vat": {"6": "2631"}}) == {
        "payment:CASH",
        "payment:SWISH",
        "sales:BOOKS:6",
        "sales:SERVICE:0",
        "other:GIFT_CARDS_SOLD",
        "other:ROUNDING",
    }
    assert "payment:INVOICE" in unmapped_codes(load(), {})
    assert "other:CASH_DIFFERENCE" in unmapped_codes(load(), {})


def test_hold_texts_and_error() -> None:
    hold = make_hold("unmapped_vat", rate="12")
    assert hold == Hold("unmapped_vat", hold.message, hold.fix, {"rate": "12"})
    error = HoldError([hold])
    assert error.holds == [hold] and "12 %" in str(error)
