"""The stored outcome read back: days, payouts, roll-forwards and what is still unmatched."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from app.bank.models import BankEntry
from app.clearing.facts import Day, Payout
from app.clearing.holidays import swedish_today
from app.clearing.models import ClearingDay, ClearingPayout
from app.clearing.rollforward import RollForward, roll_forward


def _day(r: ClearingDay) -> Day:
    day = Day(r.store_code, r.business_date, r.method, r.account, r.takings, r.due)
    day.settled, day.refunds, day.fees, day.in_bank = r.settled, r.refunds, r.fees, r.in_bank
    day.status, day.difference, day.closures = r.status, r.difference, tuple(r.closure_ids)
    day.line_ids, day.entry_ids = list(r.line_ids), list(r.entry_ids)
    day.portions = [(ref, Decimal(g)) for ref, g in r.payouts]
    return day


def _payout(r: ClearingPayout) -> Payout:
    return Payout(
        r.kind,
        r.reference,
        r.account,
        r.pay_date,
        r.gross,
        r.fees,
        r.amount,
        r.in_bank,
        r.booked_on,
        r.how,
        r.store_code,
        entry_ids=list(r.entry_ids),
        line_ids=list(r.line_ids),
        days=[(s, date.fromisoformat(d), m) for s, d, m in r.days],
        due=r.due,
    )


def stored(session: Session, company_id: int) -> tuple[list[Day], list[Payout]]:
    """The company's days and payouts as last matched."""
    days = session.exec(select(ClearingDay).where(ClearingDay.company_id == company_id)).all()
    pays = session.exec(select(ClearingPayout).where(ClearingPayout.company_id == company_id))
    return [_day(r) for r in days], [_payout(r) for r in pays]


def months(lo: date, hi: date) -> list[tuple[date, date]]:
    """The calendar months [first, last] that [lo, hi] touches, clipped to it."""
    out, first = [], lo.replace(day=1)
    while first <= hi:
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        out.append((max(first, lo), min(last, hi)))
        first = last + timedelta(days=1)
    return out


def as_of(hi: date, today: date) -> date:
    """The day a period ending on hi is worked out as of: its end, or today when that is sooner."""
    return min(hi, today)


def roll_forwards(
    days: list[Day], payouts: list[Payout], lo: date, hi: date, today: date | None = None
) -> list[RollForward]:
    """Each clearing account's roll-forward of [lo, hi] as of today (none before lo: nothing yet).

    A month not over is worked out as of today, as its days' statuses are: as of its last day
    every card batch not paid yet would read as missing and every day as late.
    """
    today = today or swedish_today()
    if lo > today:
        return []
    accounts = sorted({d.account for d in days if d.account})
    return [roll_forward(a, days, payouts, lo, as_of(hi, today)) for a in accounts]


def day_rows(
    session: Session,
    company_id: int,
    lo: date,
    hi: date,
    stores: set[str] | None = None,
    methods: set[str] | None = None,
) -> list[ClearingDay]:
    """The stored days of [lo, hi], of the stores and methods asked for (None: all)."""
    query = select(ClearingDay).where(
        ClearingDay.company_id == company_id,
        ClearingDay.business_date >= lo,
        ClearingDay.business_date <= hi,
    )
    if stores is not None:
        query = query.where(col(ClearingDay.store_code).in_(sorted(stores)))
    if methods is not None:
        query = query.where(col(ClearingDay.method).in_(sorted(methods)))
    return list(session.exec(query.order_by(ClearingDay.store_code, ClearingDay.business_date)))


def unmatched_credits(session: Session, company_id: int, lo: date, hi: date) -> list[BankEntry]:
    """Bank credits of [lo, hi] that no payout, deposit or Swish day explains, and the Swish
    refunds (debits saying Swish) none does."""
    used: set[int] = set()
    for ids in session.exec(
        select(ClearingPayout.entry_ids).where(ClearingPayout.company_id == company_id)
    ):
        used.update(ids)
    query = select(BankEntry).where(
        BankEntry.company_id == company_id,
        BankEntry.booking_date >= lo,
        BankEntry.booking_date <= hi,
        (col(BankEntry.signed_amount) > 0)
        | col(BankEntry.remittance).icontains("swish")
        | col(BankEntry.additional_info).icontains("swish"),
    )
    return [e for e in session.exec(query.order_by(BankEntry.booking_date)) if e.id not in used]


def as_json(rf: RollForward) -> dict[str, Any]:
    """A roll-forward for the API: amounts as strings, each term with its documents."""
    return {
        "account": rf.account,
        "methods": list(rf.methods),
        "from": rf.lo.isoformat(),
        "to": rf.hi.isoformat(),
        "opening": str(rf.opening),
        "sales": {"amount": str(rf.sales), "closures": rf.closures},
        "refunds": {"amount": str(rf.refunds), "settlement_lines": rf.refund_lines},
        "fees": {"amount": str(rf.fees), "settlement_lines": rf.fee_lines},
        "payouts": {
            "amount": str(rf.payouts),
            "bank_entries": rf.entry_ids,
            "references": rf.payout_refs,
        },
        "closing": str(rf.closing),
        "in_transit": str(rf.in_transit),
        "difference": str(rf.difference),
        "unexplained": str(rf.unexplained),
        "findings": [
            {
                "kind": f.kind,
                "amount": str(f.amount),
                "store": f.store,
                "day": f.day.isoformat() if f.day else None,
                "method": f.method,
                "reference": f.reference,
                "closures": list(f.closures),
                "settlement_lines": list(f.line_ids),
                "bank_entries": list(f.entry_ids),
            }
            for f in rf.findings
        ],
    }
