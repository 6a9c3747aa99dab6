"""The board's status of each closure as the closures list, its export and the POS API read it.

app/closures/statuses.py asks through events.CLOSURE_STATUSES and events.CLOSURE_STATUS_WORDS;
counts.py decides, so a closure the board counts as "correction due" never shows as "held".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, col

from app.closures.models import Closure
from app.reconcile.counts import closure_status, with_status
from app.reconcile.facts import STATUSES
from app.reconcile.texts import STATUS_TEXT

NOT_A_CLOSURE = ("reviewed", "none")  # a store-day's statuses that no single closure has


def status_words() -> dict[str, tuple[str, str]]:
    """Every status a closure can have, worst first: its word and mark, as on the legend."""
    return {
        s: (str(STATUS_TEXT[s][0]), STATUS_TEXT[s][1]) for s in STATUSES if s not in NOT_A_CLOSURE
    }


def statuses(session: Session, ids: list[int] | Select, order: tuple = ()) -> list[tuple[int, str]]:
    """(closure id, board status) of each closure ids names (or a query selects), in order."""
    query = with_status(Closure.id).where(col(Closure.id).in_(ids)).order_by(*order)
    return [(row[0], _status(row)) for row in session.exec(query).all()]


def unchecked(state: str, hold_code: str) -> str:
    """The board status of a closure no check has seen: its state's (or correction due)."""
    return closure_status(state, hold_code, None, 0)


def _status(row: Any) -> str:
    """closure_status of one row of with_status(Closure.id)."""
    _pk, state, hold, version, checked, checked_version = row
    check = None if checked is None else (checked, checked_version)
    return closure_status(str(state), hold, check, version)
