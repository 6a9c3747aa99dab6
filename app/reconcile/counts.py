"""One definition of every count: store-days (grid cells) by the worst status of their closures.

The overview, the month legend, the needs-attention list and the menu's approvals count all read
these, so a "held" here is a "held" cell there.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, func, select

from app.closures.models import Closure, ClosureState
from app.reconcile.facts import STATE_STATUS, worst
from app.reconcile.models import ClosureCheck, StoreDayCheck

# Statuses that need someone, worst first: never shown grey, each counted and listed.
NEEDS_SOMEONE = ("missing", "duplicate", "mismatch", "failed", "held", "superseded")


def closure_status(state: str, hold_code: str, check: tuple[str, int] | None, version: int) -> str:
    """A closure's status: the last check while its state is unchanged, else its state's."""
    if hold_code == "correction_due":
        return "superseded"  # SPEC: a newer revision arrived after posting; a correction is due
    if check is not None and check[1] == version:
        return check[0]
    return STATE_STATUS.get(state, "pending")


def with_status(*columns: Any) -> Any:
    """A select of columns and what closure_status needs, each closure with its last check."""
    return select(  # type: ignore[call-overload]
        *columns,
        Closure.state,
        Closure.hold_code,
        Closure.state_version,
        ClosureCheck.status,
        ClosureCheck.state_version,
    ).outerjoin(ClosureCheck, col(ClosureCheck.closure_pk) == Closure.id)


def cell_status(found: list[str], differs: bool) -> str:
    """A store-day's status: its worst closure's; other amounts on a matched day mismatch it."""
    status = found[0] if len(found) == 1 else worst(found) or "none"
    return "mismatch" if differs and status == "matched" else status


@dataclass(frozen=True)
class Attention:
    """A store-day that needs someone."""

    company_id: int
    store_code: str
    day: date
    status: str


def _seen(visible: dict[int, set[int] | None], company_id: int, store_pk: int | None) -> bool:
    """True when the user sees the store (None: every store of the company)."""
    stores = visible.get(company_id)
    return stores is None or store_pk in stores


def attention(session: Session, visible: dict[int, set[int] | None]) -> list[Attention]:
    """Every store-day needing someone in the companies of visible, oldest first."""
    ids = sorted(visible)
    if not ids:
        return []
    fresh = col(ClosureCheck.state_version) == col(Closure.state_version)
    columns = (Closure.company_id, Closure.store_pk, Closure.store_code, Closure.business_date)
    rows = session.exec(
        with_status(*columns).where(
            col(Closure.company_id).in_(ids),
            col(Closure.is_latest).is_(True),
            or_(
                Closure.hold_code == "correction_due",
                col(Closure.state).in_([ClosureState.HELD, ClosureState.FAILED]),
                and_(fresh, col(ClosureCheck.status).in_(NEEDS_SOMEONE)),
            ),
        )
    ).all()
    cells: dict[tuple[int, str, date], list[str]] = {}
    for cid, pk, code, day, state, hold, version, checked, checked_version in rows:
        if _seen(visible, cid, pk):
            check = None if checked is None else (checked, checked_version)
            cells.setdefault((cid, code, day), []).append(
                closure_status(str(state), hold, check, version)
            )
    for cid, pk, code, day in session.exec(_differing(ids)).all():
        if _seen(visible, cid, pk):
            cells.setdefault((cid, code, day), ["matched"])
    found = [
        Attention(cid, code, day, cell_status(statuses, True))
        for (cid, code, day), statuses in cells.items()
    ]
    out = [a for a in found if a.status in NEEDS_SOMEONE]
    return sorted(out, key=lambda a: (a.day, a.company_id, a.store_code))


def _differing(ids: list[int]):  # type: ignore[no-untyped-def]
    """Store-days with other amounts in Fortnox that have a closure (the grid's mismatch)."""
    has_closure = (
        select(Closure.id)
        .where(
            Closure.company_id == StoreDayCheck.company_id,
            Closure.store_code == StoreDayCheck.store_code,
            Closure.business_date == StoreDayCheck.business_date,
            col(Closure.is_latest).is_(True),
        )
        .exists()
    )
    return select(
        StoreDayCheck.company_id,
        StoreDayCheck.store_pk,
        StoreDayCheck.store_code,
        StoreDayCheck.business_date,
    ).where(
        col(StoreDayCheck.company_id).in_(ids), col(StoreDayCheck.differs).is_(True), has_closure
    )


def counts(found: list[Attention], company_id: int) -> Counter:
    """How many store-days of the company need someone, per status (every status present)."""
    out = Counter(a.status for a in found if a.company_id == company_id)
    for status in NEEDS_SOMEONE:
        out.setdefault(status, 0)
    return out


def awaiting_approval(session: Session, visible: dict[int, set[int] | None]) -> Counter:
    """Closures awaiting approval per company (what the approvals page lists)."""
    if not visible:
        return Counter()
    rows = session.exec(
        select(Closure.company_id, Closure.store_pk, func.count())
        .where(
            col(Closure.company_id).in_(sorted(visible)),
            Closure.state == ClosureState.AWAITING_APPROVAL,
        )
        .group_by(Closure.company_id, Closure.store_pk)
    ).all()
    out: Counter = Counter()
    for cid, pk, n in rows:
        if _seen(visible, cid, pk):
            out[cid] += n
    return out
