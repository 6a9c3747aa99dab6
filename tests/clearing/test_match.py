"""A month of three stores matched: the roll-forward closes to 0,00 but for what was planted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from app.clearing.facts import DayStatus
from app.clearing.models import ClearingDay, ClearingPayout
from app.clearing.rollforward import roll_forward
from app.clearing.service import compute, recompute
from app.companies.models import Company
from tests.clearing.month import FEE, MISSING, REFUND, SHORT_CASH, SPLIT, Month

JAN = (date(2026, 1, 1), date(2026, 1, 31))
FEB = (date(2026, 2, 1), date(2026, 2, 28))
TODAY = date(2026, 2, 20)


def test_card_roll_forward_closes_but_for_the_missing_payout(
    session: Session, company: Company, month: Month
) -> None:
    out = compute(session, company.id or 0, today=TODAY)
    jan = roll_forward("1580", out.days, out.payouts, *JAN)
    assert jan.opening == 0
    assert jan.sales - jan.refunds == sum(month.card.values())
    assert jan.refunds == REFUND
    fees_paid_in_jan = sum(v for k, v in month.fees.items() if k != "B2026-05")
    assert jan.fees == fees_paid_in_jan
    assert jan.fees > FEE
    paid = sum(v for k, v in month.payouts.items() if k not in (MISSING, "B2026-05"))
    assert jan.payouts == paid
    # The last week is paid on 3 February, its fees taken then: in transit is its gross.
    assert jan.in_transit == month.payouts["B2026-05"] + month.fees["B2026-05"]
    assert [(f.kind, f.reference, f.amount) for f in jan.findings] == [
        ("payout_missing", MISSING, month.payouts[MISSING])
    ]
    assert jan.closing - jan.in_transit == month.payouts[MISSING]
    assert jan.unexplained == 0
    missing = jan.findings[0]
    assert missing.line_ids  # the settlement lines that say it was paid
    feb = roll_forward("1580", out.days, out.payouts, *FEB)
    assert feb.opening == jan.closing and feb.payouts == month.payouts["B2026-05"]
    assert feb.closing == month.payouts[MISSING] and feb.in_transit == 0 and feb.unexplained == 0


def test_cash_roll_forward_finds_the_short_deposit(
    session: Session, company: Company, month: Month
) -> None:
    out = compute(session, company.id or 0, today=TODAY)
    jan = roll_forward("1910", out.days, out.payouts, *JAN)
    assert jan.sales == sum(month.cash.values()) and jan.fees == 0
    last_week = sum(v for (s, d), v in month.cash.items() if d >= date(2026, 1, 26))
    assert jan.in_transit == last_week  # deposited on 2 February
    [short] = jan.findings
    assert (short.kind, short.store, short.amount, short.day) == (
        "deposit_short",
        "S02",
        SHORT_CASH,
        date(2026, 1, 19),
    )
    assert short.entry_ids and jan.unexplained == 0
    feb = roll_forward("1910", out.days, out.payouts, *FEB)
    assert feb.closing == SHORT_CASH and feb.in_transit == 0


def test_days_show_settled_late_and_short(session: Session, company: Company, month: Month) -> None:
    recompute(session, company.id or 0, today=TODAY)
    session.commit()
    days = session.exec(select(ClearingDay).where(ClearingDay.company_id == company.id)).all()
    by = {(d.store_code, d.business_date, d.method): d for d in days}
    assert len(days) == 2 * len(month.card)
    late = {k for k, d in by.items() if d.status == DayStatus.LATE}
    assert late == {(s, date(2026, 1, n), "CARD") for s in month.stores for n in range(12, 19)}
    refund_day = by[("S01", date(2026, 1, 21), "CARD")]
    assert refund_day.status == DayStatus.SETTLED and refund_day.refunds == REFUND
    assert len(refund_day.entry_ids) == 2  # the split payout's two credits
    short = by[("S02", date(2026, 1, 18), "CASH")]
    assert (short.status, short.difference) == (DayStatus.SHORT, SHORT_CASH)
    payouts = {
        p.reference: p
        for p in session.exec(select(ClearingPayout).where(ClearingPayout.company_id == company.id))
    }
    assert payouts[SPLIT].how == "reference" and len(payouts[SPLIT].entry_ids) == 2
    assert payouts[MISSING].how == "" and payouts[MISSING].in_bank == 0
    assert len(payouts[SPLIT].days) == 7 * 3  # one payout for seven days of three stores


def test_in_transit_before_due_then_late(session: Session, company: Company, month: Month) -> None:
    early = compute(session, company.id or 0, today=date(2026, 1, 20))
    status = {d.key: d.status for d in early.days}
    assert status[("S01", date(2026, 1, 16), "CARD")] == DayStatus.IN_TRANSIT
    assert status[("S01", date(2026, 1, 2), "CARD")] == DayStatus.SETTLED
    later = compute(session, company.id or 0, today=TODAY)
    assert {d.key: d.status for d in later.days}[("S01", date(2026, 1, 16), "CARD")] == "late"
    assert sum((d.takings for d in later.days), Decimal(0)) == sum(month.card.values()) + sum(
        month.cash.values()
    )
