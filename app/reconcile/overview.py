"""Figures for the agency overview: counts by the one definition, and the last matched day."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from sqlmodel import Session

from app.companies.models import Company
from app.reconcile.counts import attention, awaiting_approval, awaiting_days, counts, last_settled


class FigureRow(Protocol):
    """What reconcile fills in on an overview row (app/overview/service.OverviewRow)."""

    company: Company
    visible: set[int] | None
    counts: dict[str, int]
    attention: list[Any]
    last_matched: date | None


def reconcile_figures(session: Session, rows: list[FigureRow]) -> None:
    """Store-days per status needing someone, closures awaiting approval, the oldest such day."""
    visible = {row.company.id or 0: row.visible for row in rows}
    found = attention(session, visible)
    waiting = awaiting_approval(session, visible)
    approvals = awaiting_days(session, visible)
    settled = last_settled(session, visible)  # a reviewed day counts as settled (counts.py)
    for row in rows:
        cid = row.company.id or 0
        row.counts.update(counts(found, cid))
        row.counts["awaiting_approval"] = waiting[cid]
        # What needs someone, as the row's counts say: store-days and approvals alike.
        mine = [a for a in (*found, *approvals) if a.company_id == cid]
        row.attention = sorted(mine, key=lambda a: (a.day, a.store_code))
        row.last_matched = settled.get(cid)
