"""The demo's bank: Adyen's settlement report and the bank's camt.053, built from the demo
closures and imported as an upload is, so the Bank pages show the whole till-to-bank loop.

Card takings are paid daily, two banking days after the sale; each store deposits a week's cash
the Monday after; Swish comes as one sum a store-day, the next banking day. Planted for the
accountant: a payout covering the last day of one month and the first of the next, a payout the
bank never got (its days late), a refund, a terminal fee, a short cash deposit; the last days'
money is still in transit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from app.bank.demo import Month, Plant, build, deposit_monday
from app.bank.models import SettlementFile
from app.bank.settlements import import_settlement
from app.bank.statements import import_statement
from app.clearing.holidays import add_banking_days, is_banking_day
from app.clearing.settings import add_swish_number, store_codes, swish_numbers
from app.closures.models import Closure, ClosureState
from app.companies.models import Company

ACTOR = "demo seed"
PAY_AFTER = 2  # banking days from a sale to Adyen's payout
LATE_BY = 7  # the missing payout's day: this many banking days before the last day, or more
REFUND = Decimal("150.00")
TERMINAL_FEE = Decimal("49.00")
SHORT_CASH = Decimal("500.00")
REFUND_STORE, SHORT_STORE = "S12", "S14"
METHODS = ("CARD", "CASH", "SWISH")
SWISH_NUMBERS = {"S12": "1231231212", "S14": "1231231414", "S20": "1231232020"}
Takings = dict[tuple[str, date], Decimal]  # (store, day) -> amount
# The books have these or will without a person; held, pending and failed closures wait on one.
IN_BOOKS = (ClosureState.POSTED, ClosureState.QUEUED, ClosureState.POSTING)


@dataclass(frozen=True)
class Planted:
    """What the demo's files were built with, and the differences planted in them."""

    month: Month
    plant: Plant
    span: tuple[date, ...]  # the days of the payout across the month end
    cutoff: date  # the statement's last day: later payouts are in transit


def till_takings(session: Session, company_id: int) -> dict[str, Takings]:
    """Per method (CARD, CASH, SWISH), store and day what the tills took, cash as counted; of
    the closures in the books."""
    takings: dict[str, Takings] = {method: {} for method in METHODS}
    query = select(Closure).where(
        Closure.company_id == company_id,
        col(Closure.is_latest).is_(True),
        col(Closure.state).in_(IN_BOOKS),
    )
    for c in sorted(session.exec(query), key=lambda c: (c.store_code, c.business_date)):
        key = (c.store_code, c.business_date)
        for pay in c.payload.get("payments") or []:
            if pay["method"] in takings:
                paid = takings[pay["method"]]
                paid[key] = paid.get(key, Decimal(0)) + Decimal(str(pay["amount"]))
        count, cash = c.payload.get("cash_count"), takings["CASH"]
        if count and key in cash:
            cash[key] += Decimal(str(count["counted"])) - Decimal(str(count["expected"]))
    return takings


def seed_swish_numbers(session: Session, company_id: int) -> None:
    """Each demo store's Swish number, as its admin types it on the clearing settings page."""
    known = {row.code for row in swish_numbers(session, company_id)}
    for code, number in SWISH_NUMBERS.items():
        if code not in known and code in store_codes(session, company_id):
            add_swish_number(session, company_id=company_id, number=number, code=code, user=None)


def _on_banking_day(day: date) -> date:
    """The bank's booking day of what is paid or deposited on day."""
    return day if is_banking_day(day) else add_banking_days(day, 1)


def cash_booked(day: date) -> date:
    """The day the bank books the deposit that carries day's cash."""
    return _on_banking_day(deposit_monday(day))


def _batches(span: tuple[date, ...]) -> Callable[[date], tuple[str, date]]:
    """Each day is its own payout, but the days of span share one."""

    def batch(day: date) -> tuple[str, date]:
        first, last = (span[0], span[-1]) if day in span else (day, day)
        return f"B{first:%Y%m%d}", add_banking_days(last, PAY_AFTER)

    return batch


def plan(takings: dict[str, Takings]) -> Planted:
    """The demo's files for these takings: where each difference goes, counted from the last day."""
    card, cash = takings["CARD"], takings["CASH"]
    days = sorted({d for _s, d in card})
    last = days[-1]
    month_start = last.replace(day=1)
    span = tuple(d for d in (month_start - timedelta(days=1), month_start) if d in days)
    span = span if len(span) == 2 else ()
    batch = _batches(span)
    late = [
        d
        for d in days
        if d not in span and is_banking_day(d) and add_banking_days(d, LATE_BY) <= last
    ]
    missing = late[-1] if late else None
    refund_day = next((d for d in reversed(late[:-1]) if (REFUND_STORE, d) in card), None)
    fee_day = next(
        (d for d in days if d > (missing or last) and d not in span and batch(d)[1] <= last), None
    )
    mondays = sorted({deposit_monday(d) for s, d in cash if s == SHORT_STORE})
    paid_mondays = [m for m in mondays if _on_banking_day(m) <= last]
    short_monday = paid_mondays[-2] if len(paid_mondays) > 1 else None
    plant = Plant(
        missing=frozenset({batch(missing)[0]} if missing else ()),
        fee=(batch(fee_day)[0], fee_day, TERMINAL_FEE) if fee_day else None,
        refunds={(REFUND_STORE, refund_day): REFUND} if refund_day else {},
        short_cash={(SHORT_STORE, short_monday): SHORT_CASH} if short_monday else {},
    )
    built = build(
        card,
        cash,
        batch=batch,
        booked=_on_banking_day,
        plant=plant,
        cutoff=last,
        swish=takings["SWISH"],
        swish_numbers=SWISH_NUMBERS,
    )
    return Planted(built, plant, span, last)


def seed_bank(session: Session, company: Company) -> Planted | None:
    """Build and import the demo's settlement report and statement; None when there is nothing
    to build from, or the demo's files were imported before (a second seed imports nothing)."""
    earlier = select(SettlementFile.id).where(
        SettlementFile.company_id == company.id, SettlementFile.actor == ACTOR
    )
    if session.exec(earlier).first() is not None:
        return None
    takings = till_takings(session, company.id or 0)
    if not takings["CARD"]:
        return None
    seed_swish_numbers(session, company.id or 0)
    planted = plan(takings)
    built = planted.month
    built.statement_id = f"{company.orgnr}-{planted.cutoff:%Y%m%d}"
    built.period = (built.days[0].isoformat(), planted.cutoff.isoformat())
    lo, hi = built.period
    settled = import_settlement(
        session,
        company=company,
        raw=built.csv(),
        profile="adyen",
        filename=f"adyen-settlement-details-{lo}-{hi}.csv",
        source="cli",
        actor=ACTOR,
    )
    banked = import_statement(
        session,
        company=company,
        raw=built.camt(opening="184250.00"),
        filename=f"camt053-{hi}.xml",
        source="cli",
        actor=ACTOR,
    )
    for result in (settled, banked):
        if result.status_code >= 400:
            raise RuntimeError(f"demo bank file refused: {result.file.errors}")
    session.commit()
    return planted
