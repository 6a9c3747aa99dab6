"""Matching as one pure function: takings ↔ settlement lines ↔ payouts ↔ bank entries."""

from __future__ import annotations

from datetime import date

from app.clearing.days import build_days
from app.clearing.deposits import match_deposits
from app.clearing.facts import CASH, Decision, Entry, Line, Outcome, Taking
from app.clearing.payouts import group_payouts, link_payouts


def match(
    takings: list[Taking],
    lines: list[Line],
    entries: list[Entry],
    *,
    stores: dict[str, str],
    decisions: list[Decision] = (),  # type: ignore[assignment]
    today: date,
    late_after: int = 5,
) -> Outcome:
    """What became of every taking: its lines, payouts and bank entries, and its status.

    stores maps the words a deposit slip may use (store codes and aliases, upper case) to the
    store's code. Cash is matched to deposits; every other method to the acquirer's payouts.
    """
    decisions = list(decisions)
    payouts = group_payouts(lines)
    for line in lines:
        if line.payout in payouts and line.day and line.kind in ("sale", "refund"):
            key = (line.store, line.day, line.method)
            if key not in payouts[line.payout].days:
                payouts[line.payout].days.append(key)
    used = link_payouts(payouts, entries, decisions)
    cash = [t for t in takings if t.method == CASH]
    free = [e for e in entries if e.id not in used]
    deposits, covered, deposited = match_deposits(cash, free, stores, decisions)
    days = build_days(
        [t for t in takings if t.method != CASH] + cash,
        lines,
        payouts,
        covered,
        {d.reference: d for d in deposits},
        today,
        late_after,
    )
    unmatched = [e for e in entries if e.amount > 0 and e.id not in used | deposited]
    return Outcome(days, [*payouts.values(), *deposits], unmatched)
