"""Each closure's status as the month board shows it (app/reconcile/counts.py decides it).

The list, its export and the API read these, so a closure the board counts as "correction due"
never shows as "held" here. The posting state (received, queued, posted...) stays beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlmodel import Session, col

from app.closures.models import Closure, ClosureState

# Waiting for an approver: the board counts it pending, the list lets one find them.
AWAITING = str(ClosureState.AWAITING_APPROVAL)
# A store-day's statuses that no single closure has.
NOT_A_CLOSURE = ("reviewed", "none")


def status_codes() -> tuple[str, ...]:
    """Every status a closure can have, worst first, then awaiting approval (a filter)."""
    from app.reconcile.facts import STATUSES

    return (*(s for s in STATUSES if s not in NOT_A_CLOSURE), AWAITING)


def status_words() -> dict[str, tuple[str, str]]:
    """Each status's word and mark in the reader's language, as on the board's legend."""
    from app.reconcile.texts import STATUS_TEXT

    words = {s: (str(label), mark) for s, (label, mark) in STATUS_TEXT.items()}
    words.setdefault(AWAITING, (str(_l("Awaiting approval")), "A"))
    return words


def _status(row: Any) -> str:
    """closure_status of one row of with_status()."""
    from app.reconcile.counts import closure_status

    _pk, state, hold, version, checked, checked_version = row
    check = None if checked is None else (checked, checked_version)
    return closure_status(str(state), hold, check, version)


def statuses_of(session: Session, ids: Iterable[int] | Select) -> dict[int, str]:
    """The board's status of each closure id (ids: the ids, or a query selecting them)."""
    from app.reconcile.counts import with_status

    wanted = ids if isinstance(ids, Select) else sorted(set(ids))
    if not isinstance(wanted, Select) and not wanted:
        return {}
    rows = session.exec(with_status(Closure.id).where(col(Closure.id).in_(wanted))).all()
    return {row[0]: _status(row) for row in rows}


def ids_with_status(session: Session, ids_query: Any, status: str, order: tuple) -> list[int]:
    """The ids ids_query selects whose board status is status, in order."""
    from app.reconcile.counts import with_status

    query = with_status(Closure.id).where(col(Closure.id).in_(ids_query)).order_by(*order)
    return [row[0] for row in session.exec(query).all() if _status(row) == status]


def api_status(session: Session, closure: Closure) -> str:
    """One closure's status for the API: the board's."""
    return statuses_of(session, [closure.id or 0]).get(closure.id or 0, "pending")
