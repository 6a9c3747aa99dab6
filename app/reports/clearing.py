"""The report's clearing section: each clearing account's months and what is not in the bank."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.clearing.facts import DayStatus
from app.clearing.holidays import banking_days_between, swedish_today
from app.clearing.read import as_of, day_rows, months, roll_forwards, stored
from app.clearing.rollforward import RollForward
from app.reports.data import Scope
from app.reports.trail import N_

# The findings and the unsettled days in the report's words.
FINDING_KINDS = {
    "late": N_("late"),
    "short": N_("short"),
    "payout_differs": N_("payout differs"),
    "payout_missing": N_("missing payout"),
    "payout_late": N_("payout late"),
    "deposit_short": N_("short deposit"),
    "swish_short": N_("Swish short in the bank"),
}
UNSETTLED_KINDS = {"in_transit": N_("in transit"), "late": N_("late"), "short": N_("short")}


@dataclass(frozen=True)
class Unsettled:
    """A store-day's takings of one method that are not (all) in the bank at the period's end."""

    status: str
    store: str
    day: date
    method: str
    amount: Decimal
    age: int  # banking days from the business day to the period's end (today, if sooner)


@dataclass
class Clearing:
    """The stored matching outcome over the report's period (empty: nothing was matched)."""

    accounts: list[RollForward]
    unsettled: list[Unsettled]

    @property
    def empty(self) -> bool:
        """No bank or settlement data was matched for the period."""
        return not self.accounts and not self.unsettled


def clearing(session: Session, scope: Scope, codes: list[str]) -> Clearing:
    """Roll-forwards per account and month of scope, and its unsettled store-days (stored only)."""
    days, payouts = stored(session, scope.company_id)
    today = swedish_today()
    if scope.store_ids:
        days = [d for d in days if d.store in codes]
    accounts = [
        rf
        for lo, hi in months(scope.start, scope.end)
        for rf in roll_forwards(days, payouts, lo, hi, today)
    ]
    rows = day_rows(
        session, scope.company_id, scope.start, scope.end, set(codes) if scope.store_ids else None
    )
    unsettled = [
        Unsettled(
            r.status,
            r.store_code,
            r.business_date,
            r.method,
            r.difference if r.status == DayStatus.SHORT else r.takings - r.in_bank,
            banking_days_between(r.business_date, as_of(scope.end, today)),
        )
        for r in rows
        if r.status != DayStatus.SETTLED
    ]
    return Clearing([a for a in accounts if a.sales or a.opening or a.payouts or a.fees], unsettled)


def covered(found: Clearing) -> dict[str, list[Any]]:
    """What the fingerprint reads of the clearing section (nothing when nothing was matched)."""
    if found.empty:
        return {}  # reports of periods without bank data keep the fingerprints they had
    accounts = [
        [a.account, a.lo.isoformat(), *(f"{v:.2f}" for v in _terms(a))] for a in found.accounts
    ]
    items = [
        [u.status, u.store, u.day.isoformat(), u.method, f"{u.amount:.2f}", u.age]
        for u in found.unsettled
    ]
    return {"clearing": [accounts, items]}


def _terms(a: RollForward) -> list[Decimal]:
    """The roll-forward's figures in the order the report shows them."""
    return [a.opening, a.sales, a.refunds, a.fees, a.payouts, a.in_transit, a.difference]
