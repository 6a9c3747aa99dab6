"""Every reconciliation status from closures and Fortnox documents, no server, no database."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from app.posting.reasons import render
from app.reconcile.compare import compare_closure, compare_document, row_diff
from app.reconcile.facts import Book, FxRow, FxVoucher
from tests.reconcile.helpers import (
    draft,
    expected_documents,
    facts,
    invoice_of,
    payload,
    voucher_of,
)


def test_matched_when_one_voucher_carries_the_key_with_equal_rows() -> None:
    f = facts()
    result = compare_closure(f, Book([voucher_of(f.expected)]))
    assert (result.status, result.voucher, result.diffs) == ("matched", "A 1", ())
    assert len(result.rows) == len({r.account for r in f.expected.rows})  # 2420 on both sides


def test_rows_split_differently_still_match() -> None:
    f = facts()
    rows = []
    for r in f.expected.rows:  # Fortnox may hold one amount as two rows on the same account
        half = (r.debit / 2).quantize(Decimal("0.01")), (r.credit / 2).quantize(Decimal("0.01"))
        rows += [FxRow(r.account, r.cost_center, *half)]
        rows += [FxRow(r.account, r.cost_center, r.debit - half[0], r.credit - half[1])]
    assert compare_closure(f, Book([voucher_of(f.expected, rows=tuple(rows))])).status == "matched"


def test_nothing_to_book_is_matched_without_a_voucher() -> None:
    f = facts(payload("no-sales-day"), voucher=None, nothing_to_book=True)
    assert compare_closure(f, Book()).status == "matched"


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ("received", "pending"),
        ("queued", "pending"),
        ("posting", "pending"),
        ("awaiting_approval", "pending"),
        ("held", "held"),
        ("failed", "failed"),
    ],
)
def test_states_before_posting(state: str, status: str) -> None:
    f = facts(state=state, voucher=None, reason="why")
    result = compare_closure(f, Book())
    assert (result.status, result.reason) == (status, "why")


def test_mismatch_lists_each_differing_account() -> None:
    f = facts()
    rows = [FxRow(r.account, r.cost_center, r.debit, r.credit) for r in f.expected.rows]
    rows[0] = replace(rows[0], debit=rows[0].debit + Decimal("10.00"))  # 1910 cash
    rows.append(FxRow("3001", "S12", Decimal("0"), Decimal("10.00")))
    result = compare_closure(f, Book([voucher_of(f.expected, rows=tuple(rows))]))
    assert result.status == "mismatch"
    diffs = {d.account: d.delta for d in result.diffs}
    assert diffs == {"1910": Decimal("10.00"), "3001": Decimal("-10.00")}
    assert "1910" in result.reason and "3001" in result.reason


def test_a_row_on_another_cost_center_is_a_mismatch() -> None:
    f = facts()
    rows = tuple(FxRow(r.account, "S20", r.debit, r.credit) for r in f.expected.rows)
    assert compare_closure(f, Book([voucher_of(f.expected, rows=rows)])).status == "mismatch"


def test_missing_when_fortnox_does_not_return_the_recorded_voucher() -> None:
    f = facts()
    result = compare_closure(f, Book(missing={("A", 1, 1)}))
    assert result.status == "missing"
    assert "A 1" in result.reason


def test_not_read_back_yet_is_pending_not_missing() -> None:
    assert compare_closure(facts(), Book()).status == "pending"


def test_duplicate_when_two_vouchers_carry_the_key() -> None:
    f = facts()
    book = Book([voucher_of(f.expected, 1), voucher_of(f.expected, 2)])
    result = compare_closure(f, book)
    assert (result.status, result.duplicates) == ("duplicate", ("A 2",))


def test_duplicate_when_an_sie_import_books_the_same_store_day_and_amounts() -> None:
    f = facts()
    sie = voucher_of(f.expected, 7, description="Dagskassa 2026-11-24", series="I")
    result = compare_closure(f, Book([voucher_of(f.expected), sie]))
    assert result.status == "duplicate"
    assert result.duplicates == ("I 7",)


def test_an_import_without_cost_centers_with_equal_rows_is_a_duplicate() -> None:
    f = facts()
    bare = tuple(replace(r, cost_center="") for r in voucher_of(f.expected).rows)
    sie = voucher_of(f.expected, 8, description="SIE", rows=bare)
    assert compare_closure(f, Book([voucher_of(f.expected), sie])).status == "duplicate"


def test_a_different_manual_voucher_on_the_store_is_not_a_duplicate() -> None:
    f = facts()
    manual = FxVoucher(
        "A",
        9,
        1,
        f.business_date,
        "Kaffe till personalen",
        "MANUAL",
        (
            FxRow("5460", "S12", Decimal("120.00"), Decimal("0")),
            FxRow("1910", "S12", Decimal("0"), Decimal("120.00")),
        ),
    )
    assert compare_closure(f, Book([voucher_of(f.expected), manual])).status == "matched"


def test_a_reversal_is_not_a_lookalike() -> None:
    f = facts()
    rev = voucher_of(f.expected, 3, description="Rättelse [KB:S12-Z457-r1-REV]")
    assert compare_closure(f, Book([voucher_of(f.expected), rev])).status == "matched"


def test_superseded_when_a_correction_is_due() -> None:
    f = facts(correction_due=True, state="held", hold_code="correction_due")
    assert compare_closure(f, Book()).status == "superseded"


def test_a_voucher_found_by_key_when_none_was_recorded() -> None:
    f = facts(voucher=None)
    assert compare_closure(f, Book([voucher_of(f.expected, 4)])).status == "matched"
    assert compare_closure(f, Book()).status == "missing"


def test_unbuildable_expected_voucher_is_a_mismatch_with_the_reason() -> None:
    f = facts(expected=None, expected_error="unmapped AMEX")
    result = compare_closure(f, Book())
    assert result.status == "mismatch" and "AMEX" in result.reason


class TestInvoices:
    def setup_method(self) -> None:
        self.data = payload()
        self.docs = expected_documents(self.data)
        self.f = facts(self.data, expected=draft(self.data, invoice=True), documents=self.docs)
        self.voucher = voucher_of(self.f.expected)

    def test_matched_with_fortnox_round_off(self) -> None:
        doc = self.docs[0]
        assert doc.total == Decimal("999.97")
        fx = invoice_of(doc)
        assert (fx.total, fx.round_off) == (Decimal("1000"), Decimal("0.03"))
        assert compare_document(doc, Book(documents=[fx])).status == "matched"
        assert compare_closure(self.f, Book([self.voucher], [fx])).status == "matched"

    def test_missing(self) -> None:
        book = Book([self.voucher], missing_documents={("invoice", "1")})
        result = compare_closure(self.f, book)
        assert result.status == "missing"
        assert result.documents[0].status == "missing"

    def test_cancelled(self) -> None:
        fx = invoice_of(self.docs[0], cancelled=True)
        result = compare_closure(self.f, Book([self.voucher], [fx]))
        assert result.documents[0].status == "cancelled"
        assert result.status == "mismatch"

    @pytest.mark.parametrize(
        ("change", "word"),
        [
            ({"total": Decimal("1100")}, "Total"),
            ({"vat": Decimal("99.00")}, "VAT"),
            ({"rows": (("3002", 12, Decimal("857.12")), ("2890", 0, Decimal("30.00")))}, "Tip"),
        ],
    )
    def test_mismatch_on_total_vat_or_tip(self, change: dict, word: str) -> None:
        fx = invoice_of(self.docs[0], **change)
        result = compare_document(self.docs[0], Book(documents=[fx]))
        assert result.status == "mismatch"
        assert word in " ".join(said.message for said in render(list(result.problems), "en"))

    def test_orders_open_then_invoiced(self) -> None:
        order = replace(self.docs[0], kind="order")
        fx = replace(invoice_of(self.docs[0]), kind="order")
        assert compare_document(order, Book(documents=[fx])).status == "open"
        done = replace(fx, invoice_reference="17")
        assert compare_document(order, Book(documents=[done])).status == "invoiced"
        assert (
            compare_closure(replace(self.f, documents=(order,)), Book([self.voucher], [fx])).status
            == "matched"
        )


def test_row_diff_shows_accounts_on_either_side() -> None:
    exp = draft(payload(), invoice=False).rows
    out = row_diff(exp, [])
    assert all(d.actual_debit == d.actual_credit == 0 for d in out)
    assert {d.account for d in out} == {r.account for r in exp}
