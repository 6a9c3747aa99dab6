"""Store-day checks: POS totals against every Fortnox row on the store's cost center."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from app.reconcile.compare import compare_closure
from app.reconcile.day import compare_store_day, merge_pos
from app.reconcile.facts import Book, FxRow, FxVoucher
from tests.reconcile.helpers import facts, voucher_of


def _day(f, book):  # type: ignore[no-untyped-def]
    return compare_store_day("S12", "S12", f.business_date, [(f, compare_closure(f, book))], book)


def test_a_matched_day_has_no_difference() -> None:
    f = facts()
    result = _day(f, Book([voucher_of(f.expected)]))
    assert (result.status, result.differs) == ("matched", False)
    assert result.pos_total == result.fortnox_total == f.expected.total_debit


def test_a_manual_entry_on_the_cost_center_shows_as_a_day_difference() -> None:
    f = facts()
    manual = FxVoucher(
        "A",
        9,
        1,
        f.business_date,
        "Kaffe",
        "MANUAL",
        (
            FxRow("1910", "S12", Decimal("0"), Decimal("120.00")),
            FxRow("5460", "S12", Decimal("120.00"), Decimal("0")),
        ),
    )
    result = _day(f, Book([voucher_of(f.expected), manual]))
    assert (result.status, result.differs) == ("mismatch", True)
    deltas = {line.account: line.delta for line in result.lines if line.delta}
    assert deltas == {"1910": Decimal("-120.00"), "5460": Decimal("120.00")}
    assert "5460" in result.reason
    assert result.vouchers == ("A 1", "A 9")


def test_other_cost_centers_and_invoice_vouchers_do_not_count() -> None:
    f = facts()
    other = replace(
        voucher_of(f.expected, 5, description="x"),
        rows=(
            FxRow("1910", "S20", Decimal("5"), Decimal("0")),
            FxRow("3001", "S20", Decimal("0"), Decimal("5")),
        ),
    )
    invoice = replace(
        voucher_of(f.expected, 6, description="Kundfaktura"), series="B", reference_type="INVOICE"
    )
    result = _day(f, Book([voucher_of(f.expected), other, invoice]))
    assert result.differs is False


def test_a_pending_day_is_pending_and_counts_the_pos_total() -> None:
    f = facts(state="queued", voucher=None)
    result = _day(f, Book())
    assert result.status == "pending"
    assert result.pos_total == f.expected.total_debit and result.fortnox_total == 0


def test_merge_pos_sums_parts() -> None:
    a = {"gross": Decimal("10"), "vat": {"25": Decimal("2")}, "payments": {"CASH": Decimal("10")}}
    b = {"gross": Decimal("5"), "vat": {"25": Decimal("1")}, "payments": {"CARD": Decimal("5")}}
    out = merge_pos([a, b])
    assert out["gross"] == Decimal("15") and out["vat"] == {"25": Decimal("3")}
    assert out["payments"] == {"CASH": Decimal("10"), "CARD": Decimal("5")}
