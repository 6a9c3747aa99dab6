"""Append to the audit trail and prove its hash chain intact."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import text
from sqlmodel import Session, select

from app.audit.models import AuditEvent

GENESIS = "0" * 64
_LOCK_KEY = 7_104_202_611
_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
_LAST = select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)  # type: ignore[union-attr]
_LAST_BUT = (
    select(AuditEvent.hash)
    .where(AuditEvent.id != sa.bindparam("id"))
    .order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
    .limit(1)
)


def _digest(event: AuditEvent) -> str:
    """The SHA-256 over an event's content and the hash of the one before it."""
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
    raw = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def record(
    session: Session,
    *,
    action: str,
    company_id: int | None = None,
    user: Any = None,
    actor: str | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction, chained to the last one."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # Appends are serialised so two transactions never chain to the same predecessor (taken
        # before the event is made, so its time follows its predecessor's too).
        session.execute(_LOCK, {"k": _LOCK_KEY})
    event = AuditEvent(
        company_id=company_id,
        user_id=getattr(user, "id", None),
        actor=actor or getattr(user, "email", None) or "system",
        action=action,
        target=target,
        detail=json.loads(json.dumps(detail or {}, default=str)),
        prev_hash=GENESIS,
        hash=GENESIS,
    )
    if postgres:
        # A statement after the lock's own sees every append committed before the lock was ours.
        event.prev_hash = session.exec(_LAST).first() or GENESIS
        event.hash = _digest(event)
        session.add(event)
        session.flush()  # one INSERT, complete
        return event
    # SQLite: writing first takes its write lock before the last hash is read.
    event.hash = f"pending-{id(session)}-{id(event)}"
    session.add(event)
    session.flush()
    last = session.exec(_LAST_BUT, params={"id": event.id}).first()
    event.prev_hash = last or GENESIS
    event.hash = _digest(event)
    session.add(event)
    session.flush()
    return event


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
