"""Cash deposits: a store's bank credits against its cash takings (on 1910), oldest days first."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

from app.clearing.facts import CASH, ZERO, Decision, Entry, Payout, Taking

# Words a bank or a deposit slip uses for a cash deposit (besides the code PMNT/CNTR/CDPT).
DEPOSIT_WORDS = frozenset(
    {"INSÄTTNING", "INSATTNING", "DEPOSIT", "DAGKASSA", "KONTANT", "KONTANTER"}
)
_DATE = re.compile(r"^(20[0-9]{2})-?([01][0-9])-?([0-3][0-9])$")


def deposit_store(entry: Entry, stores: dict[str, str]) -> str:
    """The store a credit is a cash deposit of (by its words), or ''."""
    if not (entry.deposit or entry.words & DEPOSIT_WORDS):
        return ""
    named = {stores[w] for w in entry.words if w in stores}
    return named.pop() if len(named) == 1 else ""


def named_day(entry: Entry) -> date | None:
    """The business day an entry names (YYYY-MM-DD or YYYYMMDD, as a deposit slip or a Swish
    day's sum may), if it names one."""
    for word in entry.words:
        found = _DATE.match(word)
        if found:
            try:
                return date(*(int(part) for part in found.groups()))
            except ValueError:
                continue
    return None


def match_deposits(
    takings: list[Taking], entries: list[Entry], stores: dict[str, str], decisions: list[Decision]
) -> tuple[list[Payout], dict[tuple[str, date, str], tuple[str, Decimal]], set[int]]:
    """Deposits as payouts, each day's (deposit, amount deposited for it), and the entries used.

    A deposit covers every undeposited day up to the day its slip names; without one, the
    store's oldest undeposited days up to its booking date that make the sum nearest it. The
    shortfall (or excess) is the deposit's difference and is put on its last day.
    """
    refused = {d.entry_id for d in decisions if d.action == "unmatch"}
    manual = {
        d.entry_id: d.reference for d in decisions if d.action == "match" and d.kind == "deposit"
    }
    by_store: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.amount <= 0 or e.id in refused:
            continue
        store = manual.get(e.id) or deposit_store(e, stores)
        if store:
            by_store[store].append(e)
    days: dict[str, list[Taking]] = defaultdict(list)
    for t in sorted(takings, key=lambda t: (t.store, t.day)):
        if t.amount != 0:
            days[t.store].append(t)
    payouts: list[Payout] = []
    covered: dict[tuple[str, date, str], tuple[str, Decimal]] = {}
    used: set[int] = set()
    for store, found in sorted(by_store.items()):
        waiting = list(days.get(store, []))
        for entry in sorted(found, key=lambda e: (e.booked, e.id)):
            named = named_day(entry)
            eligible = [t for t in waiting if t.day <= min(entry.booked, named or entry.booked)]
            run = eligible if named else _nearest_run(eligible, entry.amount)
            account = next((t.account for t in days.get(store, [])), "")
            payout = _deposit(store, entry, run, manual, account)
            payouts.append(payout)
            used.add(entry.id)
            for t in run:
                waiting.remove(t)
                covered[(store, t.day, CASH)] = (payout.reference, t.amount)
            if run:
                last = run[-1]
                covered[(store, last.day, CASH)] = (
                    payout.reference,
                    last.amount - payout.difference,
                )
    return payouts, covered, used


def _nearest_run(eligible: list[Taking], amount: Decimal) -> list[Taking]:
    """The oldest days whose sum is nearest amount (the fewer days on a tie)."""
    best, best_gap, total = 0, abs(amount), ZERO
    for i, t in enumerate(eligible, start=1):
        total += t.amount
        if abs(total - amount) < best_gap:
            best, best_gap = i, abs(total - amount)
    return eligible[:best]


def _deposit(
    store: str, entry: Entry, run: list[Taking], manual: dict[int, str], account: str
) -> Payout:
    """The payout a deposit is: the days' cash due, what the bank got."""
    due = sum((t.amount for t in run), ZERO)
    return Payout(
        kind="deposit",
        reference=f"D{entry.id}",
        account=account,
        pay_date=entry.booked,
        gross=due,
        amount=due,
        in_bank=entry.amount,
        booked_on=entry.booked,
        how="manual" if entry.id in manual else "reference",
        store=store,
        entry_ids=[entry.id],
        days=[(t.store, t.day, t.method) for t in run],
    )
