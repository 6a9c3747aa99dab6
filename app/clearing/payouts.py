"""Settlement lines into payouts, and payouts to the bank entries that paid them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from app.clearing.facts import ZERO, Decision, Entry, Line, Payout

# A payout reaches the bank from a few days before its stated date (a report's date is when the
# acquirer closed the batch, or later) up to two weeks after it.
BEFORE, AFTER = timedelta(days=5), timedelta(days=14)


def group_payouts(lines: Iterable[Line]) -> dict[str, Payout]:
    """One Payout per payout reference: gross of sales and refunds, fees, and the amount due."""
    grouped: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        if line.payout:
            grouped[line.payout].append(line)
    return {ref: _payout(ref, rows) for ref, rows in grouped.items()}


def _payout(ref: str, rows: list[Line]) -> Payout:
    """A payout of its lines; a payout row's own amount wins over the lines' sum."""
    paid = [r for r in rows if r.kind == "payout"]
    rest = [r for r in rows if r.kind != "payout"]
    gross = sum((r.gross for r in rest if r.kind in ("sale", "refund")), ZERO)
    fees = sum((r.fee or ZERO for r in rest), ZERO)
    amount = gross - fees
    if paid:
        amount = -sum((r.net if r.net is not None else r.gross for r in paid), ZERO)
    # Sale lines alone are a batch the acquirer has not paid out: it has no payout date yet.
    dates = [r.payout_date for r in rows if r.payout_date] or [r.day for r in paid if r.day]
    sold = [r.day for r in rows if r.day]
    accounts = [r.account for r in rest if r.account]
    return Payout(
        kind="payout",
        reference=ref,
        account=max(set(accounts), key=accounts.count) if accounts else "",
        pay_date=max(dates) if dates else None,
        sold_until=max(sold) if sold else None,
        gross=gross,
        fees=fees,
        amount=amount,
        line_ids=sorted(r.id for r in rows),
    )


def _near(payout: Payout, booked: date) -> bool:
    """Whether an entry booked then may pay the payout (near its date, or its last sale's)."""
    day = payout.pay_date or payout.sold_until
    if day is None:
        return True
    return day - BEFORE <= booked <= day + AFTER


class _Groups:
    """Union-find over payouts ('p', ref) and entries ('e', id)."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, object], tuple[str, object]] = {}

    def find(self, node: tuple[str, object]) -> tuple[str, object]:
        """The node's group."""
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def join(self, a: tuple[str, object], b: tuple[str, object]) -> None:
        """Put a and b in one group."""
        self.parent[self.find(a)] = self.find(b)


def link_payouts(
    payouts: dict[str, Payout],
    entries: list[Entry],
    decisions: list[Decision],
    not_by_amount: frozenset[int] = frozenset(),
) -> set[int]:
    """Mark each payout with the credits that paid it; the ids of the entries used.

    By reference first (one payout in several credits, several payouts in one credit: the
    group's sums are compared), an accountant's matches always, then by amount in the window
    (never the credits in not_by_amount: Swish payments, which a payout's amount may equal).
    """
    credits = {e.id: e for e in entries if e.amount > 0}
    refused = {d.entry_id for d in decisions if d.action == "unmatch"}
    manual = {
        d.entry_id: d.reference
        for d in decisions
        if d.action == "match" and d.kind == "payout" and d.reference in payouts
    }
    by_word: dict[str, list[Entry]] = defaultdict(list)
    for e in credits.values():
        if e.id not in refused and e.id not in manual:
            for word in e.words:
                by_word[word].append(e)
    groups, how = _Groups(), {}
    for ref, payout in payouts.items():
        for e in by_word.get(ref.upper(), ()):
            if _near(payout, e.booked):
                groups.join(("p", ref), ("e", e.id))
                how[ref] = how.get(ref) or "reference"
    for entry_id, ref in manual.items():
        if entry_id in credits:
            groups.join(("p", ref), ("e", entry_id))
            how[ref] = "manual"
    members: dict[tuple[str, object], tuple[list[str], list[Entry]]] = defaultdict(lambda: ([], []))
    for node in list(groups.parent):
        kind, value = node
        refs, found = members[groups.find(node)]
        if kind == "p":
            refs.append(str(value))
        else:
            found.append(credits[int(value)])  # type: ignore[call-overload]
    used: set[int] = set()
    for refs, found in members.values():
        if refs and found:
            _settle([payouts[r] for r in sorted(refs)], found, how)
            used.update(e.id for e in found)
    taken = used | refused | not_by_amount  # once, not per credit
    free = [e for e in credits.values() if e.id not in taken]
    _by_amount(payouts, free, used)
    return used


def _settle(group: list[Payout], found: list[Entry], how: dict[str, str]) -> None:
    """Share the group's credits over its payouts; any difference lands on the last payout."""
    total = sum((e.amount for e in found), ZERO)
    booked = max(e.booked for e in found)
    ids = sorted(e.id for e in found)
    rest = total
    for i, payout in enumerate(group):
        share = rest if i == len(group) - 1 else min(payout.amount, rest)
        rest -= share
        payout.in_bank, payout.booked_on, payout.entry_ids = share, booked, ids
        payout.how = "manual" if "manual" in {how.get(p.reference) for p in group} else "reference"


def _by_amount(payouts: dict[str, Payout], free: list[Entry], used: set[int]) -> None:
    """Payouts no reference found: the one free credit of the same amount in the window."""
    order = sorted(
        payouts.values(), key=lambda p: (p.pay_date or p.sold_until or date.min, p.reference)
    )
    for payout in order:
        if payout.how or payout.amount <= 0:
            continue
        fits = [
            e
            for e in free
            if e.id not in used and e.amount == payout.amount and _near(payout, e.booked)
        ]
        if len(fits) == 1:
            entry = fits[0]
            used.add(entry.id)
            payout.in_bank, payout.booked_on = entry.amount, entry.booked
            payout.entry_ids, payout.how = [entry.id], "amount"
