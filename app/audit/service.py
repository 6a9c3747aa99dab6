"""Append to the audit trail and prove its hash chain intact."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy import text
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.db import utcnow

GENESIS = "0" * 64
_LOCK_KEY = 7_104_202_611
_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
# Prebuilt Core statements: an append is on every closure's way in, and the ORM's unit of work
# and statement building cost more than the append itself.
_T = AuditEvent.__table__  # type: ignore[attr-defined]
_LAST_BUT = (
    sa.select(_T.c.hash).where(_T.c.id != sa.bindparam("id")).order_by(_T.c.id.desc()).limit(1)
)
_INSERT = _T.insert().returning(_T.c.id)
_CHAIN = _T.update().where(_T.c.id == sa.bindparam("event_id"))
# PostgreSQL: one INSERT reads the last hash (its snapshot is taken after the lock is ours) and
# hashes the event's text around it, as _digest does in Python (verify() checks the same).
_MARK = "~prev~"
_COLS = ("company_id", "user_id", "actor", "action", "target", "detail", "created_at")
_PREV = sa.func.coalesce(
    sa.select(_T.c.hash).order_by(_T.c.id.desc()).limit(1).scalar_subquery(), GENESIS
)
_AROUND = sa.bindparam("pre", type_=sa.String) + _PREV + sa.bindparam("post", type_=sa.String)
_CHAINED = (
    _T.insert()
    .from_select(
        [*_COLS, "prev_hash", "hash"],
        sa.select(
            *(sa.bindparam(c, type_=_T.c[c].type) for c in _COLS),
            _PREV,
            sa.func.encode(sa.func.sha256(sa.func.convert_to(_AROUND, "UTF8")), "hex"),
        ),
    )
    .returning(_T.c.id, _T.c.prev_hash, _T.c.hash)
)


@dataclass(frozen=True)
class Appended:
    """An event just appended: its id and where it sits in the chain."""

    id: int
    prev_hash: str
    hash: str


def _body(event: Any) -> str:
    """The text an event's hash is taken over: its content and the hash of the one before it."""
    body = {
        "prev": event.prev_hash,
        "company": event.company_id,
        "user": event.user_id,
        "actor": event.actor,
        "action": event.action,
        "target": event.target,
        "detail": event.detail,
        "at": event.created_at.isoformat(),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)  # ASCII only


def _digest(event: Any) -> str:
    """The SHA-256 over an event's content and the hash of the one before it."""
    return hashlib.sha256(_body(event).encode()).hexdigest()


def _around_prev(row: SimpleNamespace) -> tuple[str, str]:
    """The hashed text before and after the predecessor's hash, which PostgreSQL puts between."""
    marked = SimpleNamespace(**{**vars(row), "prev_hash": _MARK})
    pre, _prev, post = _body(marked).rpartition(f'"prev":"{_MARK}"')
    # rpartition: "prev" sorts after "detail", the one part that may hold such a key too.
    return pre + '"prev":"', '"' + post


def record(
    session: Session,
    *,
    action: str,
    company_id: int | None = None,
    user: Any = None,
    actor: str | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> Appended:
    """Append one event in the caller's transaction, chained to the last one."""
    session.flush()  # what the event names (a new company, a user) is written first
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # Appends are serialised so two transactions never chain to the same predecessor (taken
        # before the event is made, so its time follows its predecessor's too).
        session.execute(_LOCK, {"k": _LOCK_KEY})
    row = SimpleNamespace(
        company_id=company_id,
        user_id=getattr(user, "id", None),
        actor=actor or getattr(user, "email", None) or "system",
        action=action,
        target=target,
        detail=json.loads(json.dumps(detail or {}, default=str)),
        created_at=utcnow(),
        prev_hash=GENESIS,
        hash=GENESIS,
    )
    if postgres:
        # A statement after the lock's own sees every append committed before the lock was ours.
        pre, post = _around_prev(row)
        values = {c: getattr(row, c) for c in _COLS}
        event_id, prev, digest = session.execute(
            _CHAINED, {**values, "pre": pre, "post": post}
        ).one()
        return Appended(event_id, prev, digest)
    # SQLite: writing first takes its write lock before the last hash is read.
    row.hash = f"pending-{id(session)}-{id(row)}"
    event_id = session.execute(_INSERT, vars(row)).scalar_one()
    row.prev_hash = session.execute(_LAST_BUT, {"id": event_id}).scalar() or GENESIS
    row.hash = _digest(row)
    session.execute(_CHAIN, {"event_id": event_id, "prev_hash": row.prev_hash, "hash": row.hash})
    return Appended(event_id, row.prev_hash, row.hash)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking the chain."""

    ok: bool
    checked: int
    broken_id: int | None = None
    problem: str = ""  # in English, for the CLI and logs; `code` says which, for a reader
    code: str = ""
    mine: int = 0  # how many of the checked events are the asking company's


PROBLEMS = {
    "link": "link to the previous event broken",
    "content": "content altered after it was written",
}


def verify(session: Session, batch: int = 5000, company_id: int | None = None) -> ChainReport:
    """Walk the trail in order and name the first event whose link or content is broken."""
    prev = GENESIS
    checked = mine = 0
    last_id = 0
    while True:
        rows = session.exec(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(ok=True, checked=checked, mine=mine)
        for event in rows:
            code = "link" if event.prev_hash != prev else ""
            code = code or ("content" if _digest(event) != event.hash else "")
            if code:
                return ChainReport(False, checked, event.id, PROBLEMS[code], code, mine)
            prev = event.hash
            checked += 1
            mine += event.company_id == company_id
            last_id = event.id or last_id
