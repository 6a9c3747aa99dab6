"""One definition of every count: store-days (grid cells) by the worst status of their closures.

The overview, the month legend, the needs-attention list, the menu's approvals count, the API and
the PDF all read these, so a "held" here is a "held" cell there, and a reviewed mismatch is
"reviewed" everywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from app.closures.models import Closure, ClosureState
from app.reconcile.facts import STATE_STATUS, worst
from app.reconcile.models import ClosureCheck, StoreDayCheck
from app.reconcile.reviews import reviewed_days

# Statuses that need someone, worst first: never shown grey, each counted and listed.
NEEDS_SOMEONE = ("missing", "duplicate", "mismatch", "failed", "held", "superseded")
# What an accountant's review settles: other amounts in Fortnox, explained. A missing or extra
# voucher, a hold or a failure still needs its fix, reviewed or not.
REVIEWABLE = ("mismatch",)
AWAITING = "awaiting_approval"  # closures, not a cell status: the approvals page lists them
SETTLED = ("matched", "reviewed")  # a store-day nobody needs to look at again


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


def reviewed_status(status: str, reviewed: bool) -> str:
    """A status as counted: a mismatch on a reviewed store-day is "reviewed"."""
    return "reviewed" if reviewed and status in REVIEWABLE else status


def cell_status(found: list[str], differs: bool, reviewed: bool = False) -> str:
    """A store-day's status: its worst closure's; other amounts on a matched day mismatch it."""
    status = found[0] if len(found) == 1 else worst(found) or "none"
    status = "mismatch" if differs and status == "matched" else status
    return reviewed_status(status, reviewed)


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
    columns = (Closure.id, Closure.company_id, Closure.store_pk, Closure.store_code)
    latest = (col(Closure.company_id).in_(ids), col(Closure.is_latest).is_(True))
    needing = with_status(*columns, Closure.business_date).where(
        *latest,
        or_(
            Closure.hold_code == "correction_due",
            col(Closure.state).in_([ClosureState.HELD, ClosureState.FAILED]),
            and_(fresh, col(ClosureCheck.status).in_(NEEDS_SOMEONE)),
        ),
    )
    # Every closure of a day Fortnox differs on: the day's worst decides, as on the grid.
    on_differing = (
        with_status(*columns, Closure.business_date)
        .join(StoreDayCheck, _same_day())
        .where(*latest, col(StoreDayCheck.differs).is_(True))
    )
    cells: dict[tuple[int, str, date], dict[int, str]] = {}
    differing: set[tuple[int, str, date]] = set()
    for query, differs in ((needing, False), (on_differing, True)):
        for pk, cid, store_pk, code, day, state, hold, version, checked, at in session.exec(query):
            if not _seen(visible, cid, store_pk):
                continue
            check = None if checked is None else (checked, at)
            cells.setdefault((cid, code, day), {})[pk] = closure_status(state, hold, check, version)
            if differs:
                differing.add((cid, code, day))
    reviewed = reviewed_days(session, ids)
    found = [
        Attention(*key, cell_status(list(found.values()), key in differing, key in reviewed))
        for key, found in cells.items()
    ]
    out = [a for a in found if a.status in NEEDS_SOMEONE]
    return sorted(out, key=lambda a: (a.day, a.company_id, a.store_code))


def _same_day():  # type: ignore[no-untyped-def]
    """The join of a closure to its store-day's check."""
    return and_(
        StoreDayCheck.company_id == Closure.company_id,
        StoreDayCheck.store_code == Closure.store_code,
        StoreDayCheck.business_date == Closure.business_date,
    )


def counts(found: list[Attention], company_id: int) -> Counter:
    """How many store-days of the company need someone, per status (every status present)."""
    out = Counter(a.status for a in found if a.company_id == company_id)
    for status in NEEDS_SOMEONE:
        out.setdefault(status, 0)
    return out


def _awaiting(session: Session, visible: dict[int, set[int] | None]) -> list[tuple]:
    """(company, store code, day) of each closure awaiting approval the user sees."""
    if not visible:
        return []
    rows = session.exec(
        select(
            Closure.company_id, Closure.store_pk, Closure.store_code, Closure.business_date
        ).where(
            col(Closure.company_id).in_(sorted(visible)),
            Closure.state == ClosureState.AWAITING_APPROVAL,
        )
    ).all()
    return [(cid, code, day) for cid, pk, code, day in rows if _seen(visible, cid, pk)]


def last_settled(session: Session, visible: dict[int, set[int] | None]) -> dict[int, date]:
    """Per company, the last day on which every checked store-day seen is matched or reviewed."""
    ids = sorted(visible)
    if not ids:
        return {}
    days = session.exec(
        select(
            StoreDayCheck.company_id,
            StoreDayCheck.store_pk,
            StoreDayCheck.store_code,
            StoreDayCheck.business_date,
            StoreDayCheck.status,
        ).where(col(StoreDayCheck.company_id).in_(ids))
    ).all()
    reviewed = reviewed_days(session, ids)
    good: dict[int, set[date]] = {}
    bad: dict[int, set[date]] = {}
    for cid, pk, code, day, status in days:
        if _seen(visible, cid, pk):
            settled = reviewed_status(status, (cid, code, day) in reviewed) in SETTLED
            (good if settled else bad).setdefault(cid, set()).add(day)
    out = {}
    for cid, found in good.items():
        left = found - bad.get(cid, set())
        if left:
            out[cid] = max(left)
    return out


def awaiting_approval(session: Session, visible: dict[int, set[int] | None]) -> Counter:
    """Closures awaiting approval per company (what the approvals page lists)."""
    return Counter(cid for cid, _code, _day in _awaiting(session, visible))


def awaiting_days(session: Session, visible: dict[int, set[int] | None]) -> list[Attention]:
    """Store-days with a closure awaiting approval: they need an approver, oldest first."""
    days = sorted(set(_awaiting(session, visible)), key=lambda k: (k[2], k[0], k[1]))
    return [Attention(cid, code, day, AWAITING) for cid, code, day in days]
