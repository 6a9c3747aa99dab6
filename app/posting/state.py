"""The one module that moves a closure between states, each move a compare-and-set."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from app.closures.models import Closure, ClosureState
from app.db import utcnow

S = ClosureState

# Which state may follow which; anything else is a bug in the caller.
ALLOWED: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.HELD, S.AWAITING_APPROVAL, S.QUEUED, S.SUPERSEDED}),
    S.HELD: frozenset({S.QUEUED, S.AWAITING_APPROVAL, S.HELD, S.SUPERSEDED}),
    S.AWAITING_APPROVAL: frozenset({S.QUEUED, S.HELD, S.SUPERSEDED}),
    # queued → superseded: nothing was booked yet and the CAS stops the job that would post it.
    S.QUEUED: frozenset({S.POSTING, S.HELD, S.SUPERSEDED}),
    S.POSTING: frozenset({S.POSTED, S.FAILED, S.HELD, S.QUEUED}),
    # failed → held: a retry click that finds a hold now (e.g. the mapping changed).
    S.FAILED: frozenset({S.QUEUED, S.HELD, S.SUPERSEDED}),
    S.POSTED: frozenset({S.SUPERSEDED}),
    S.SUPERSEDED: frozenset(),
}
# Columns a transition may set besides the state itself.
_FIELDS = {
    "attempts",
    "outcome_unknown",
    "posted_at",
    "nothing_to_book",
    "superseded_by_id",
    "mapping_version_id",
}


_T: sa.Table = Closure.__table__  # type: ignore[attr-defined]
# Built once: each job and each arrival runs them, and building one costs more than running it.
# The SET columns are the execution's parameters; the WHERE's carry a leading underscore.
_MOVE = _T.update().where(
    _T.c.id == sa.bindparam("_pk"),
    _T.c.state == sa.bindparam("_old"),
    _T.c.state_version == sa.bindparam("_version"),
)
_ANNOTATE = _T.update().where(
    _T.c.id == sa.bindparam("_pk"), _T.c.state_version == sa.bindparam("_version")
)
_BY_ID = _T.update().where(_T.c.id == sa.bindparam("_pk"))
_RECORD = {
    prefix: _T.update().where(_T.c.id == sa.bindparam("_pk"), _T.c[f"{prefix}_number"].is_(None))
    for prefix in ("voucher", "reversal")
}
_OWNER = sa.select(_T.c.state, _T.c.state_version).where(_T.c.id == sa.bindparam("_pk"))


class IllegalTransition(Exception):
    """A caller asked for a move the state machine does not have."""


def move(
    session: Session,
    closure: Closure,
    new: str,
    *,
    reason: str = "",
    hold_code: str = "",
    **fields: Any,
) -> bool:
    """Move closure from the state and version it was read with to new; False if it lost a race."""
    old = closure.state
    if new not in ALLOWED[old]:
        raise IllegalTransition(f"closure {closure.id}: {old} → {new}")
    unknown = set(fields) - _FIELDS
    if unknown:
        raise TypeError(f"not a transition field: {sorted(unknown)}")
    now = utcnow()
    values = {
        "state": str(new),
        "state_reason": reason[:2000],
        "hold_code": hold_code,
        "state_changed_at": now,
        "state_version": closure.state_version + 1,
        **fields,
    }
    where = {"_pk": closure.id, "_old": str(old), "_version": closure.state_version}
    result = session.execute(_MOVE, {**values, **where})
    if result.rowcount != 1:
        session.refresh(closure)
        return False
    _written(closure, values)
    session.add(closure)
    return True


def _written(closure: Closure, values: dict[str, Any]) -> None:
    """Give closure the values an UPDATE just wrote, as loaded (so no flush writes them again)."""
    for key, value in values.items():
        set_committed_value(closure, key, value)


def annotate(session: Session, closure: Closure, *, reason: str, hold_code: str = "") -> bool:
    """Change the reason shown for the current state without moving it (e.g. before start date)."""
    values = {"state_reason": reason[:2000], "hold_code": hold_code}
    where = {"_pk": closure.id, "_version": closure.state_version}
    result = session.execute(_ANNOTATE, {**values, **where})
    if result.rowcount == 1:
        _written(closure, values)
    return result.rowcount == 1


def record_voucher(
    session: Session,
    closure: Closure,
    ref: tuple[str, int, int],
    *,
    reversal: bool = False,
    mapping_version_id: int | None = None,
) -> bool:
    """Write the voucher (or reversal) Fortnox gave, unless one is recorded already."""
    prefix = "reversal" if reversal else "voucher"
    series, number, year = ref
    values: dict[str, Any] = {
        f"{prefix}_series": series,
        f"{prefix}_number": number,
        f"{prefix}_year": year,
        "outcome_unknown": False,
    }
    if mapping_version_id is not None:
        values["mapping_version_id"] = mapping_version_id
    result = session.execute(_RECORD[prefix], {**values, "_pk": closure.id})
    if result.rowcount != 1:
        session.refresh(closure)  # recorded before: read what is there
        return False
    _written(closure, values)  # what the row now holds, without reading it back
    return True


def set_unknown(session: Session, closure: Closure, unknown: bool) -> None:
    """Mark that a send to Fortnox is in flight (or settled), so a crash leaves a trace."""
    session.execute(_BY_ID, {"outcome_unknown": unknown, "_pk": closure.id})
    _written(closure, {"outcome_unknown": unknown})


def still_owner(session: Session, closure: Closure) -> bool:
    """True while the closure is still posting at the version this job moved it to."""
    row = session.execute(_OWNER, {"_pk": closure.id}).one()
    return row.state == S.POSTING and row.state_version == closure.state_version
