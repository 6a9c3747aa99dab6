"""Figures for the agency overview: counts by the one definition, and the last matched day."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.overview.service import OverviewRow, contributes
from app.reconcile.counts import attention, awaiting_approval, awaiting_days, counts
from app.reconcile.models import StoreDayCheck


@contributes
def reconcile_figures(session: Session, rows: list[OverviewRow]) -> None:
    """Store-days per status needing someone, closures awaiting approval, the oldest such day."""
    visible = {row.company.id or 0: row.visible for row in rows}
    found = attention(session, visible)
    waiting = awaiting_approval(session, visible)
    approvals = awaiting_days(session, visible)
    days = session.exec(
        select(
            StoreDayCheck.company_id,
            StoreDayCheck.store_pk,
            StoreDayCheck.business_date,
            StoreDayCheck.status,
        ).where(col(StoreDayCheck.company_id).in_(sorted(visible)))
    ).all()
    for row in rows:
        cid = row.company.id or 0
        row.counts.update(counts(found, cid))
        row.counts["awaiting_approval"] = waiting[cid]
        # What needs someone, as the row's counts say: store-days and approvals alike.
        mine = [a for a in (*found, *approvals) if a.company_id == cid]
        row.attention = sorted(mine, key=lambda a: (a.day, a.store_code))
        its = [(d, st) for c, pk, d, st in days if c == cid and _seen(row, pk)]
        bad = {d for d, st in its if st != "matched"}
        good = {d for d, st in its if st == "matched"}
        row.last_matched = max(good - bad, default=None)  # type: ignore[attr-defined]


def _seen(row: OverviewRow, store_pk: int | None) -> bool:
    """True when the row's user sees the store."""
    return row.visible is None or store_pk in row.visible
