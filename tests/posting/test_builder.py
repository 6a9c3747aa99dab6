"""build_voucher: the SPEC's worked example row by row, then each booking rule on its own."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.posting.builder import (
    BuildSettings,
    Row,
    UnbalancedVoucher,
    VoucherDraft,
    build_voucher,
    describe,
)
from tests.closure_strategies import BAS_MAPPING

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "closures"
INVOICE_ON = BuildSettings(invoice=True, tip_on_invoice=True)
INVOICE_OFF = BuildSettings()


def load(name: str = "cafe-full-day") -> dict[str, Any]:
    """A fixture closure, fresh for each call."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def mapping(**changes: dict[str, Any]) -> dict[str, Any]:
    """The BAS mapping with some sections replaced."""
    result = copy.deepcopy(BAS_MAPPING)
    result.update(changes)
    return result


def build(closure: dict, settings: BuildSettings = INVOICE_OFF, **changes: Any) -> VoucherDraft:
    """The voucher for closure under the BAS mapping (with changes) on cost center S12."""
    return build_voucher(closure, mapping(**changes), settings, "S12")


def table(draft: VoucherDraft) -> list[tuple[str, str, str]]:
    """(account, debit, credit) per row, amounts as text."""
    return [(r.account, str(r.debit), str(r.credit)) for r in draft.rows]


WORKED_EXAMPLE_INVOICE_ON = [
    ("1910", "1820.00", "0.00"),
    ("1580", "9550.00", "0.00"),
    ("1930", "1200.00", "0.00"),
    ("2420", "300.00", "0.00"),
    ("3740", "0.03", "0.00"),
    ("3990", "20.00", "0.00"),
    ("3002", "0.00", "7982.16"),
    ("3001", "0.00", "2400.00"),
    ("3003", "0.00", "471.70"),
    ("2621", "0.00", "957.87"),
    ("2611", "0.00", "600.00"),
    ("2631", "0.00", "28.30"),
    ("2890", "0.00", "250.00"),
    ("2420", "0.00", "200.00"),
]


def test_worked_example_invoice_on() -> None:
    draft = build(load(), INVOICE_ON)
    assert table(draft) == WORKED_EXAMPLE_INVOICE_ON
    assert draft.total_debit == draft.total_credit == Decimal("12890.03")
    assert {r.cost_center for r in draft.rows} == {"S12"}
    assert draft.series == "A" and draft.transaction_date == "2026-11-24"
    assert draft.key == "KB:S12-Z457-r1"
    assert draft.description == "Z457 S12 2026-11-24 [KB:S12-Z457-r1]"


def test_worked_example_invoice_off() -> None:
    draft = build(load(), INVOICE_OFF)
    assert table(draft) == [
        ("1910", "1820.00", "0.00"),
        ("1580", "9550.00", "0.00"),
        ("1930", "1200.00", "0.00"),
        ("2420", "300.00", "0.00"),
        ("1510", "999.97", "0.00"),
        ("3740", "0.03", "0.00"),
        ("3990", "20.00", "0.00"),
        ("3002", "0.00", "8839.28"),  # 7982.16 + 857.12
        ("3001", "0.00", "2400.00"),
        ("3003", "0.00", "471.70"),
        ("2621", "0.00", "1060.72"),  # 957.87 + 102.85
        ("2611", "0.00", "600.00"),
        ("2631", "0.00", "28.30"),
        ("2890", "0.00", "290.00"),  # 250.00 + the invoice tip 40.00
        ("2420", "0.00", "200.00"),
    ]
    assert draft.total_debit == draft.total_credit == Decimal("12890.03") + Decimal("999.97")


def test_rows_are_quantized_and_one_sided() -> None:
    for row in build(load(), INVOICE_ON).rows:
        assert isinstance(row, Row) and row.label
        assert row.debit.as_tuple().exponent == row.credit.as_tuple().exponent == -2
        assert (row.debit > 0) != (row.credit > 0)


def test_series_comes_from_settings() -> None:
    assert build(load(), BuildSettings(series="K")).series == "K"


def test_cash_is_debited_at_the_counted_amount() -> None:
    draft = build(load("cash-overage"))
    assert ("1910", "612.50", "0.00") in table(draft)
    assert ("3990", "0.00", "12.50") in table(draft)  # an overage credits cash difference


def test_cash_without_a_count_is_debited_as_paid() -> None:
    closure = load()
    del closure["cash_count"]
    assert ("1910", "1840.00", "0.00") in table(build(closure))
    assert "3990" not in {r.account for r in build(closure).rows}


def test_a_count_without_a_cash_payment_still_books_the_cash() -> None:
    closure = load("amex-custom-method")
    closure["cash_count"] = {"expected": "0.00", "counted": "10.00"}
    draft = build(closure, payment_methods={**BAS_MAPPING["payment_methods"], "AMEX": "1581"})
    assert ("1910", "10.00", "0.00") in table(draft) and ("3990", "0.00", "10.00") in table(draft)


def test_a_shortage_debits_cash_difference() -> None:
    assert ("3990", "20.00", "0.00") in table(build(load()))


@pytest.mark.parametrize(
    ("fixture", "row"),
    [
        ("negative-rounding", ("3740", "0.37", "0.00")),
        ("positive-rounding-zero-vat", ("3740", "0.00", "0.39")),
    ],
)
def test_rounding_side_follows_its_sign(fixture: str, row: tuple[str, str, str]) -> None:
    assert row in table(build(load(fixture)))


def test_a_day_of_net_returns_moves_categories_to_the_other_side() -> None:
    assert table(build(load("net-returns-day"))) == [
        ("3003", "471.70", "0.00"),
        ("2631", "28.30", "0.00"),
        ("1580", "0.00", "500.00"),
    ]


def test_a_return_line_nets_within_its_own_category() -> None:
    closure = load()  # FOOD 12 % has a sale of 8928.57 and a return of -89.29
    assert ("3002", "0.00", "8839.28") in table(build(closure))


def test_same_account_and_side_merge_into_one_row() -> None:
    closure = load("amex-custom-method")
    draft = build(closure, payment_methods={**BAS_MAPPING["payment_methods"], "AMEX": "1580"})
    [row] = [r for r in draft.rows if r.account == "1580"]
    assert row.debit == Decimal("7420.00") and row.label == "Payment CARD, Payment AMEX"


def test_never_netted_across_sides() -> None:
    closure = load("positive-rounding-zero-vat")
    closure["cash_count"] = {"expected": "1150.00", "counted": "1140.00"}
    draft = build(closure, other={**BAS_MAPPING["other"], "ROUNDING": "3990"})
    assert ("3990", "10.00", "0.00") in table(draft) and ("3990", "0.00", "0.39") in table(draft)


def test_zero_categories_need_no_row_and_no_account() -> None:
    closure = load("negative-rounding")
    closure["tips"] = [{"method": "CASH", "amount": "0.00"}]
    closure["gift_cards_sold"] = [{"amount": "0.00"}]
    draft = build(closure, other={"ROUNDING": "3740"})
    assert table(draft) == [
        ("1910", "1500.00", "0.00"),
        ("3740", "0.37", "0.00"),
        ("3002", "0.00", "1339.62"),
        ("2621", "0.00", "160.75"),
    ]


def test_zero_rate_sales_need_no_vat_account() -> None:
    draft = build(load("positive-rounding-zero-vat"))
    assert ("3004", "0.00", "250.00") in table(draft)


def test_group_mapping_wins_over_the_rate_fallback() -> None:
    draft = build(load(), sales={**BAS_MAPPING["sales"], "FOOD:12": "3010"})
    assert ("3010", "0.00", "8839.28") in table(draft) and "3002" not in table(draft)


def test_invoice_on_needs_no_receivable_account() -> None:
    methods = {k: v for k, v in BAS_MAPPING["payment_methods"].items() if k != "INVOICE"}
    assert table(build(load(), INVOICE_ON, payment_methods=methods)) == WORKED_EXAMPLE_INVOICE_ON


def test_invoice_on_leaves_invoice_sales_out_per_group_and_rate() -> None:
    closure = load("tip-on-invoice")
    assert table(build(closure, INVOICE_ON)) == [
        ("1580", "2150.00", "0.00"),
        ("3002", "0.00", "1428.57"),
        ("3001", "0.00", "320.00"),
        ("2621", "0.00", "171.43"),
        ("2611", "0.00", "80.00"),
        ("2890", "0.00", "150.00"),
    ]


def test_a_day_without_sales_is_an_empty_draft() -> None:
    draft = build(load("no-sales-day"))
    assert draft.is_empty and draft.rows == ()
    assert draft.total_debit == draft.total_credit == 0
    assert draft.key == "KB:S12-Z458-r1"


def test_revision_is_in_the_key() -> None:
    closure = load()
    closure["revision"] = 3
    assert build(closure).key == "KB:S12-Z457-r3"
    del closure["revision"]
    assert build(closure).key == "KB:S12-Z457-r1"


def test_description_is_cut_in_the_human_part_never_the_key() -> None:
    closure = {"store_id": "S" * 40, "z_number": int("9" * 190), "business_date": "2026-11-24"}
    key = "KB:" + "S" * 40 + "-Z" + "9" * 10 + "-r1"
    text = describe(closure, key)
    assert len(text) == 200 and text.endswith(f" [{key}]") and text.startswith("Z999")


def test_an_unbalanced_closure_is_never_sent() -> None:
    closure = load()
    closure["payments"][1]["amount"] = "9550.01"  # invalid: the day no longer balances
    with pytest.raises(UnbalancedVoucher) as caught:
        build(closure, INVOICE_ON)
    assert caught.value.debit - caught.value.credit == Decimal("0.01")
