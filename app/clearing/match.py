"""Matching as one pure function: takings ↔ settlement lines ↔ payouts ↔ bank entries."""

from __future__ import annotations

from datetime import date

from app.clearing.days import build_days
from app.clearing.deposits import match_deposits
from app.clearing.facts import CASH, SWISH, Decision, Entry, Line, Outcome, Taking
from app.clearing.payouts import group_payouts, link_payouts
from app.clearing.swish import is_swish, match_swish


def match(
    takings: list[Taking],
    lines: list[Line],
    entries: list[Entry],
    *,
    stores: dict[str, str],
    decisions: list[Decision] = (),  # type: ignore[assignment]
    today: date,
    late_after: int = 5,
    swish: dict[str, str] | None = None,
) -> Outcome:
    """What became of every taking: its lines, payouts and bank entries, and its status.

    stores maps the words a deposit slip may use (store codes and aliases, upper case) to the
    store's code; swish maps each store's Swish number (10 digits) to its code. Cash is matched
    to deposits; Swish that no acquirer settles straight to the bank's Swish entries; every
    other method to the acquirer's payouts.
    """
    decisions = list(decisions)
    numbers = swish or {}
    swish_ids = frozenset(e.id for e in entries if is_swish(e, numbers))
    to_swish = {d.entry_id for d in decisions if d.action == "match" and d.kind == "swish"}
    payouts = group_payouts(lines)
    for line in lines:
        if line.payout in payouts and line.day and line.kind in ("sale", "refund"):
            key = (line.store, line.day, line.method)
            if key not in payouts[line.payout].days:
                payouts[line.payout].days.append(key)
    used = link_payouts(payouts, [e for e in entries if e.id not in to_swish], decisions, swish_ids)
    cash = [t for t in takings if t.method == CASH]
    free = [e for e in entries if e.id not in used and e.id not in to_swish]
    deposits, covered, deposited = match_deposits(
        cash, [e for e in free if e.deposit or e.id not in swish_ids], stores, decisions
    )
    settled = {(line.store, line.day) for line in lines if line.method == SWISH}
    straight = [t for t in takings if t.method == SWISH and (t.store, t.day) not in settled]
    spent = used | deposited  # once: a union per entry made a month of Swish take a minute
    swished, paid, banked = match_swish(
        straight,
        [e for e in entries if e.id not in spent],
        numbers,
        decisions,
        today,
        late_after,
    )
    days = build_days(
        [t for t in takings if t.method != CASH] + cash,
        lines,
        payouts,
        {**covered, **paid},
        {p.reference: p for p in [*deposits, *swished]},
        today,
        late_after,
    )
    spent |= banked
    unmatched = [e for e in entries if e.amount > 0 and e.id not in spent]
    return Outcome(days, [*payouts.values(), *deposits, *swished], unmatched)
