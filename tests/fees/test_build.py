"""The payout fee voucher as a pure function: totals to the öre, sides, methods, holds, key."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.bank.fees_build import build_fee_voucher, fee_key, method_code, payout_of
from app.bank.profiles import shipped_profiles
from app.bank.settlement_csv import parse_settlement
from app.mapping.schema import PAYMENT_METHODS, bas_default
from app.posting.holds import HoldError
from tests.bank.conftest import settlement_file

BAS = bas_default()


@dataclass
class L:
    """A settlement line as the builder reads it."""

    kind: str
    payment_method: str = ""
    fee: Decimal | None = None
    payout_date: date | None = None
    transaction_date: date | None = date(2026, 11, 24)


PAID = L("payout", "", None, transaction_date=date(2026, 11, 26))  # the payout row


def _rows(draft) -> set[tuple[str, str, str]]:
    return {(r.account, f"{r.debit:.2f}", f"{r.credit:.2f}") for r in draft.rows}


def test_the_adyen_payout_books_its_fees_to_the_ore_on_the_payout_day() -> None:
    lines = parse_settlement(
        settlement_file("adyen-settlement-details.csv"),
        shipped_profiles()["adyen"],
        "Europe/Stockholm",
    )
    payout = payout_of("412", "adyen", lines, PAYMENT_METHODS)
    assert payout is not None
    # 6.25+1.50+6.00 + 1.50+0.30+1.50 + 0.60 (refund) + 25.00 (terminal fee); not the payout row
    assert payout.total == Decimal("42.65")
    assert payout.day == date(2026, 11, 26)  # Adyen gives no payout date: the payout row's
    draft = build_fee_voucher(payout, BAS, "K")
    assert _rows(draft) == {("6570", "42.65", "0.00"), ("1580", "0.00", "42.65")}
    assert draft.series == "K" and draft.transaction_date == "2026-11-26"
    assert draft.description == "Fees adyen payout 412 2026-11-26 [KB:FEE-412]"
    assert all(r.cost_center == "" for r in draft.rows)
    body = draft.to_fortnox()["Voucher"]
    assert all("VAT" not in str(row) for row in body["VoucherRows"])  # VAT-free, two rows


def test_each_method_credits_its_own_clearing_account_and_a_rebate_turns_sides() -> None:
    mapping = copy.deepcopy(BAS)
    mapping["payment_methods"]["AMEX"] = "1581"
    lines = [
        L("sale", "visa", Decimal("2.50")),
        L("sale", "amex", Decimal("4.10")),
        L("sale", "Swish", Decimal("1.00")),
        L("refund", "swish", Decimal("-3.00")),  # the acquirer gave back more than it took
        L("payout", "", Decimal("999.00"), transaction_date=date(2026, 11, 27)),
    ]
    payout = payout_of("P-1", "own", lines, ["CASH", "CARD", "SWISH", "AMEX"])
    assert payout is not None
    assert dict(payout.fees) == {
        "CARD": Decimal("2.50"),
        "AMEX": Decimal("4.10"),
        "SWISH": Decimal("-2.00"),
    }
    assert payout.day == date(2026, 11, 27)
    draft = build_fee_voucher(payout, mapping, "A")
    assert _rows(draft) == {
        ("6570", "6.60", "0.00"),
        ("1930", "2.00", "0.00"),
        ("1580", "0.00", "2.50"),
        ("1581", "0.00", "4.10"),
        ("6570", "0.00", "2.00"),
    }
    assert draft.total_debit == draft.total_credit == Decimal("8.60")


def test_a_fee_row_without_a_method_goes_to_the_payouts_method() -> None:
    lines = [L("sale", "Swish", Decimal("1.00")), L("fee", "", Decimal("5.00")), PAID]
    payout = payout_of("S", "own", lines, PAYMENT_METHODS)
    assert payout is not None and dict(payout.fees) == {"SWISH": Decimal("6.00")}


def test_an_unmapped_fee_account_or_method_holds_with_its_fix() -> None:
    mapping = copy.deepcopy(BAS)
    del mapping["other"]["FEES"]
    payout = payout_of("9", "adyen", [L("sale", "diners", Decimal("1.00")), PAID], ["CARD"])
    assert payout is not None
    with pytest.raises(HoldError) as held:
        build_fee_voucher(payout, mapping, "A")
    (hold,) = held.value.holds
    assert hold.code == "unmapped_other" and "FEES" in hold.message and "mapping" in hold.fix
    del mapping["payment_methods"]["CARD"]
    with pytest.raises(HoldError) as held:
        build_fee_voucher(payout, mapping, "A")
    assert [h.code for h in held.value.holds] == ["unmapped_other", "unmapped_payment_method"]


def test_the_payout_date_the_file_gives_wins_and_a_zero_payout_books_nothing() -> None:
    lines = [
        L("sale", "visa", Decimal("0.00"), payout_date=date(2026, 12, 1)),
        L("sale", "visa", None),
    ]
    payout = payout_of("Z", "worldline", lines, PAYMENT_METHODS)
    assert payout is not None and payout.day == date(2026, 12, 1)
    assert payout.total == 0 and build_fee_voucher(payout, BAS, "A").is_empty


def test_sale_lines_without_the_payout_row_or_date_are_no_payout_yet() -> None:
    sales = [L("sale", "visa", Decimal("1.50")), L("fee", "", Decimal("49.00"))]
    assert payout_of("B7", "adyen", sales, PAYMENT_METHODS) is None  # not the sale day's
    payout = payout_of("B7", "adyen", [*sales, PAID], PAYMENT_METHODS)
    assert payout is not None and payout.day == date(2026, 11, 26)
    assert payout.total == Decimal("50.50")


def test_the_key_has_no_space_nor_bracket_and_the_method_words_are_read() -> None:
    assert fee_key(" TX 47[11] ") == "KB:FEE-TX_47_11_"
    assert method_code("swish handel", PAYMENT_METHODS) == "SWISH"
    assert method_code("mccredit", PAYMENT_METHODS) == "CARD"
    assert method_code("card", PAYMENT_METHODS) == "CARD"


@given(st.lists(st.integers(min_value=-50_000, max_value=500_000), min_size=1, max_size=40))
def test_fees_add_up_to_the_ore_and_the_voucher_balances(ore: list[int]) -> None:
    lines = [*(L("sale", "visa", Decimal(n) / 100) for n in ore), PAID]
    payout = payout_of("H", "adyen", lines, PAYMENT_METHODS)
    assert payout is not None
    assert payout.total == Decimal(sum(ore)) / 100
    draft = build_fee_voucher(payout, BAS, "A")
    assert draft.total_debit == draft.total_credit == abs(Decimal(sum(ore)) / 100)
    assert all(r.debit.as_tuple().exponent == -2 or r.debit == 0 for r in draft.rows)
