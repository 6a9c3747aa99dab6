"""Each closure's status as the month board shows it (app/reconcile decides it, asked by events).

The list, its export and the API read these, so a closure the board counts as "correction due"
never shows as "held" here. The posting state (received, queued, posted...) stays beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlmodel import Session

from app import events
from app.closures.models import Closure, ClosureState

# Waiting for an approver: the board counts it pending, the list lets one find them.
AWAITING = str(ClosureState.AWAITING_APPROVAL)


def status_codes() -> tuple[str, ...]:
    """Every status a closure can have, worst first, then awaiting approval (a filter)."""
    return (*_board(events.CLOSURE_STATUS_WORDS), AWAITING)


def status_words() -> dict[str, tuple[str, str]]:
    """Each status's word and mark in the reader's language, as on the board's legend."""
    words = dict(_board(events.CLOSURE_STATUS_WORDS))
    words.setdefault(AWAITING, (str(_l("Awaiting approval")), "A"))
    return words


def statuses_of(session: Session, ids: Iterable[int] | Select) -> dict[int, str]:
    """The board's status of each closure id (ids: the ids, or a query selecting them)."""
    wanted = ids if isinstance(ids, Select) else sorted(set(ids))
    if not isinstance(wanted, Select) and not wanted:
        return {}
    return dict(_board(events.CLOSURE_STATUSES, session, wanted, ()))


def ids_with_status(session: Session, ids_query: Any, status: str, order: tuple) -> list[int]:
    """The ids ids_query selects whose board status is status, in order."""
    found = _board(events.CLOSURE_STATUSES, session, ids_query, order)
    return [pk for pk, said in found if said == status]


def api_status(session: Session, closure: Closure) -> str:
    """One closure's status for the API: the board's."""
    return statuses_of(session, [closure.id or 0]).get(closure.id or 0, "pending")


def unchecked_status(closure: Closure) -> str:
    """The board's status of a closure no check has seen yet (one stored a moment ago)."""
    return _board(events.CLOSURE_STATUS_UNCHECKED, str(closure.state), closure.hold_code)


def _board(event: str, *args: Any) -> Any:
    """The answer of the area that decides closures' statuses (the month board's)."""
    answers = events.announce(event, *args)
    if len(answers) != 1:
        raise RuntimeError(f"{event}: {len(answers)} answers, one area must decide (app/__init__)")
    return answers[0]
