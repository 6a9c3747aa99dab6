"""Swish takings straight to the bank: each store's Swish credits (and refunds) per business day.

Swish för handel pays the merchant's account with no fee taken, either per payment or as one
summed entry a day, depending on the bank. The entries carry "Swish" and usually the merchant's
Swish number (123 xxx xx xx), which names the store (a per-store setting).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import lru_cache

from app.clearing.deposits import named_day
from app.clearing.facts import SWISH, ZERO, Decision, Entry, Payout, Taking
from app.clearing.holidays import add_banking_days

# A Swish number for businesses: 10 digits from 123, often written 123 456 78 90 or 123-456 78 90.
_NUMBER = re.compile(r"(?<![0-9A-Z])1[ -]?2[ -]?3(?:[ -]?[0-9]){7}(?![0-9A-Z])")
NUMBER = re.compile(r"123[0-9]{7}")

Covered = dict[tuple[str, date, str], tuple[str, Decimal]]


@lru_cache(maxsize=1 << 16)  # each entry is asked several times per matching
def numbers_in(words: frozenset[str]) -> frozenset[str]:
    """The Swish numbers written in words, as 10 digits."""
    found: set[str] = set()
    for word in words:
        found.update(re.sub(r"[^0-9]", "", m.group()) for m in _NUMBER.finditer(word))
    return frozenset(found)


def is_swish(entry: Entry, numbers: dict[str, str]) -> bool:
    """Whether an entry is a Swish payment or refund: it says Swish or names a store's number."""
    return any("SWISH" in w for w in entry.words) or bool(numbers_in(entry.words) & set(numbers))


def _store(entry: Entry, numbers: dict[str, str], manual: dict[int, str], only: str) -> str:
    """The store a Swish entry paid: by an accountant's match, its number, or the only store."""
    if entry.id in manual:
        return manual[entry.id]
    named = {numbers[n] for n in numbers_in(entry.words) if n in numbers}
    if len(named) == 1:
        return named.pop()
    if not named and not numbers_in(entry.words) and any("SWISH" in w for w in entry.words):
        return only
    return ""


def match_swish(
    takings: list[Taking],
    entries: list[Entry],
    numbers: dict[str, str],
    decisions: list[Decision],
    today: date,
    late_after: int,
) -> tuple[list[Payout], Covered, set[int]]:
    """Swish takings against the Swish entries not used otherwise: the payouts (one per run of
    days paid together), each day's (payout, amount in the bank for it), and the entries used.

    numbers maps a Swish number (10 digits) to its store's code.
    """
    refused = {d.entry_id for d in decisions if d.action == "unmatch"}
    manual = {
        d.entry_id: d.reference for d in decisions if d.action == "match" and d.kind == "swish"
    }
    days: dict[str, list[Taking]] = defaultdict(list)
    for t in sorted(takings, key=lambda t: (t.store, t.day)):
        if t.method == SWISH and t.amount != 0:
            days[t.store].append(t)
    only = next(iter(days)) if len(days) == 1 else ""
    found: dict[str, list[Entry]] = defaultdict(list)
    for e in sorted(entries, key=lambda e: (e.booked, e.id)):
        if e.id in refused or not (e.id in manual or is_swish(e, numbers)):
            continue
        store = _store(e, numbers, manual, only)
        if store:
            found[store].append(e)
    payouts: list[Payout] = []
    covered: Covered = {}
    used: set[int] = set()
    for store in sorted(days.keys() & found.keys()):
        runs = _Store(days[store], found[store], today, late_after).runs()
        for run_days, run_entries in runs:
            payout = _payout(store, run_days, run_entries, manual)
            payouts.append(payout)
            used.update(payout.entry_ids)
            for t in run_days:
                covered[(store, t.day, SWISH)] = (payout.reference, t.amount)
            last = run_days[-1]
            covered[(store, last.day, SWISH)] = (payout.reference, last.amount - payout.difference)
    return payouts, covered, used


def _payout(store: str, days: list[Taking], entries: list[Entry], manual: dict[int, str]) -> Payout:
    """The payout a run of days paid together is: their takings, what the bank got."""
    gross = sum((t.amount for t in days), ZERO)
    booked = max(e.booked for e in entries)
    return Payout(
        kind="swish",
        reference=f"SW{min(e.id for e in entries)}",
        account=days[0].account,
        pay_date=booked,
        gross=gross,
        amount=gross,
        in_bank=sum((e.amount for e in entries), ZERO),
        booked_on=booked,
        how="manual" if any(e.id in manual for e in entries) else "amount",
        store=store,
        entry_ids=sorted(e.id for e in entries),
        days=[(t.store, t.day, t.method) for t in days],
    )


class _Store:
    """One store's Swish days and entries, paired into runs of days paid together."""

    def __init__(self, days: list[Taking], entries: list[Entry], today: date, late: int) -> None:
        self.days, self.entries, self.today, self.late = days, entries, today, late
        self.out: list[tuple[list[Taking], list[Entry]]] = []

    def due(self, t: Taking) -> date:
        """The last banking day t's money may take."""
        return add_banking_days(t.day, self.late)

    def runs(self) -> list[tuple[list[Taking], list[Entry]]]:
        """Each day by its own entries first, then by the entries naming it, then what is left
        swept in date order."""
        rest = [t for t in self.days if not self._alone(t)]
        rest = [t for t in rest if not self._named(t)]
        self._sweep(rest, list(self.entries))
        return sorted(self.out, key=lambda run: run[0][0].day)

    def _alone(self, t: Taking) -> bool:
        """Pair t with the entries booked on its day (paid per payment), or with the one entry
        in its window of its amount (one summed entry a day)."""
        same = [e for e in self.entries if e.booked == t.day]
        if same and sum((e.amount for e in same), ZERO) == t.amount:
            return self._take([t], same)
        one = [e for e in self.entries if t.day <= e.booked <= self.due(t) and e.amount == t.amount]
        return bool(one) and self._take([t], one[:1])

    def _named(self, t: Taking) -> bool:
        """Pair t with the entries in its window that name its day (a day's sum, short or over)."""
        named = [
            e for e in self.entries if named_day(e) == t.day and t.day <= e.booked <= self.due(t)
        ]
        return bool(named) and self._take([t], named)

    def _take(self, days: list[Taking], entries: list[Entry]) -> bool:
        """Record a run and use its entries."""
        self.out.append((days, entries))
        for e in entries:
            self.entries.remove(e)
        return True

    def _sweep(self, days: list[Taking], entries: list[Entry]) -> None:
        """In date order (a day's entries before its takings): close a run whenever the entries
        waiting add up to the oldest waiting days; a day past its window takes the entries
        nearest its takings (short or over) or none (late)."""
        run: list[Taking] = []
        bag: list[Entry] = []
        while days or entries:
            next_entry = entries[0].booked if entries else date.max
            next_day = days[0].day if days else date.max
            while run and self.due(run[0]) < min(next_entry, next_day):
                bag = self._give_up(run, bag)
            if next_entry <= next_day:
                bag.append(entries.pop(0))
            else:
                if not run:
                    bag = [e for e in bag if e.booked >= next_day]  # older ones paid nothing here
                run.append(days.pop(0))
            bag = self._close(run, bag)
        while run and self.due(run[0]) < self.today:
            bag = self._give_up(run, bag)

    def _close(self, run: list[Taking], bag: list[Entry]) -> list[Entry]:
        """If the bag adds up to the oldest days of the run, they are paid: what bag is left."""
        if not bag:
            return bag
        waiting, total = sum((e.amount for e in bag), ZERO), ZERO
        for n, t in enumerate(run, start=1):
            total += t.amount
            if total == waiting:
                self.out.append((run[:n], bag))
                del run[:n]
                return []
        return bag

    def _give_up(self, run: list[Taking], bag: list[Entry]) -> list[Entry]:
        """The oldest day is out of time: it takes the oldest entries nearest its takings."""
        head = run.pop(0)
        best, gap, total = 0, abs(head.amount), ZERO
        for n, e in enumerate(bag, start=1):
            total += e.amount
            if abs(total - head.amount) < gap:
                best, gap = n, abs(total - head.amount)
        if best:
            self.out.append(([head], bag[:best]))
        return self._close(run, bag[best:])
