"""Each store-day-method's status: settled, in transit, late, or short by what it lacks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.clearing.facts import CASH, ZERO, Day, DayStatus, Line, Payout, Taking
from app.clearing.holidays import add_banking_days

CENT = Decimal("0.01")


def build_days(
    takings: list[Taking],
    lines: list[Line],
    payouts: dict[str, Payout],
    covered: dict[tuple[str, date, str], tuple[str, Decimal]],
    deposits: dict[str, Payout],
    today: date,
    late_after: int,
) -> list[Day]:
    """A Day for every taking, and for every store-day the acquirer settled without one.

    covered gives the days paid without an acquirer (cash deposits, Swish straight to the bank)
    their (payout, amount in the bank for the day); deposits are those payouts by reference.
    """
    days: dict[tuple[str, date, str], Day] = {}
    for t in takings:
        day = Day(
            t.store, t.day, t.method, t.account, t.amount, add_banking_days(t.day, late_after)
        )
        day.closures = t.closures
        days[day.key] = day
    for line in lines:
        if line.kind not in ("sale", "refund") or line.day is None:
            continue
        key = (line.store, line.day, line.method)
        day = days.get(key)
        if day is None:
            due = add_banking_days(line.day, late_after)
            day = days[key] = Day(line.store, line.day, line.method, line.account, ZERO, due)
        day.settled += line.gross
        day.refunds -= line.gross if line.kind == "refund" else ZERO
        day.fees += line.fee or ZERO
        day.line_ids.append(line.id)
        day.portions.append((line.payout, line.gross))
    for day in days.values():
        short = ZERO
        ref, arrived = covered.get(day.key, ("", ZERO))
        if ref:
            day.settled, day.portions = day.takings, [(ref, day.takings)]
            short = day.takings - arrived
        _status(day, {**payouts, **deposits}, today, short)
        for ref, _gross in day.portions:
            paying = payouts.get(ref) or deposits.get(ref)
            if paying is not None and (paying.due is None or paying.due < day.due):
                paying.due = day.due
    return sorted(days.values(), key=lambda d: (d.day, d.store, d.method))


def _status(day: Day, payouts: dict[str, Payout], today: date, short: Decimal) -> None:
    """The day's money in the bank, what it lacks, and its status."""
    arrived, entries = ZERO, set()
    for ref, gross in day.portions:
        payout = payouts.get(ref)
        if payout is None or not payout.how:
            continue
        entries.update(payout.entry_ids)
        arrived += gross
        if payout.kind == "payout" and payout.difference and payout.gross:
            # A payout short in the bank: its days share the shortfall by their gross.
            short += (payout.difference * gross / payout.gross).quantize(CENT)
    day.entry_ids = sorted(entries)
    day.in_bank = arrived - short
    day.difference = day.takings - day.settled + short
    everything_in = bool(day.portions) and arrived == sum((g for _r, g in day.portions), ZERO)
    if everything_in and day.difference == 0:
        day.status = DayStatus.SETTLED
    elif everything_in and (day.method == CASH or short or today > day.due):
        day.status = DayStatus.SHORT
    elif today <= day.due:
        day.status = DayStatus.IN_TRANSIT
    elif day.portions and day.takings != day.settled:
        day.status = DayStatus.SHORT
    else:
        day.status = DayStatus.LATE
