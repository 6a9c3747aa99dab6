"""Figures for the agency overview: exceptions per company and its last fully matched day."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.closures.models import Closure
from app.overview.service import OverviewRow, contributes
from app.reconcile.models import ClosureCheck, StoreDayCheck

COUNTED = ("mismatch", "duplicate", "missing")


@contributes
def reconcile_figures(session: Session, rows: list[OverviewRow]) -> None:
    """Mismatch, duplicate and missing counts, and `row.last_matched` (a day all stores matched)."""
    ids = [row.company.id for row in rows]
    found = session.exec(
        select(ClosureCheck.company_id, Closure.store_pk, ClosureCheck.status, func.count())
        .join(Closure, col(Closure.id) == col(ClosureCheck.closure_pk))
        .where(
            col(ClosureCheck.company_id).in_(ids),
            col(Closure.is_latest).is_(True),
            col(ClosureCheck.state_version) == col(Closure.state_version),
            col(ClosureCheck.status).in_(COUNTED),
        )
        .group_by(ClosureCheck.company_id, Closure.store_pk, ClosureCheck.status)
    ).all()
    days = session.exec(
        select(
            StoreDayCheck.company_id,
            StoreDayCheck.store_pk,
            StoreDayCheck.business_date,
            StoreDayCheck.status,
        ).where(col(StoreDayCheck.company_id).in_(ids))
    ).all()
    for row in rows:
        mine = [f for f in found if f[0] == row.company.id and _seen(row, f[1])]
        for status in COUNTED:
            row.counts[status] = sum(n for _c, _pk, st, n in mine if st == status)
        its = [(d, st) for cid, pk, d, st in days if cid == row.company.id and _seen(row, pk)]
        bad = {d for d, st in its if st != "matched"}
        good = {d for d, st in its if st == "matched"}
        row.last_matched = max(good - bad, default=None)  # type: ignore[attr-defined]


def _seen(row: OverviewRow, store_pk: int | None) -> bool:
    """True when the row's user sees the store."""
    return row.visible is None or store_pk in row.visible
