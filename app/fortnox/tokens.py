"""The stored token pair: read it, refresh it (one process at a time), lose it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from redis.exceptions import LockError
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from app.audit.service import record
from app.crypto import decrypt, encrypt, rotate
from app.db import make_engine, utcnow
from app.fortnox import oauth
from app.fortnox.errors import AuthLost, NotConnected, Retryable
from app.fortnox.models import FortnoxConnection
from app.queue import get_redis

log = logging.getLogger(__name__)
CONNECTED, LOST, DISCONNECTED = "connected", "lost", "disconnected"
EARLY = timedelta(minutes=1)  # refresh this long before the access token expires


@dataclass(frozen=True)
class Token:
    """An access token and when it stops working."""

    access_token: str
    expires_at: datetime | None
    scope: str = ""

    def stale(self) -> bool:
        """True within a minute of expiry (or when the expiry is unknown)."""
        return self.expires_at is None or self.expires_at - EARLY <= utcnow()


_MEMO = "kassabok_fortnox_connections"


def connection(session: Session, company_id: int) -> FortnoxConnection | None:
    """The company's connection row, if one was ever made.

    Read once per session: a second query would hand back the same object from the session's
    identity map anyway (expired after a rollback, so refreshed on use), so a post job that asks
    five times (client, pre-flight, year lock, read-back) reads the row once.
    """
    memo: dict[int, FortnoxConnection] = session.info.setdefault(_MEMO, {})
    found = memo.get(company_id)
    if found is not None and sa.inspect(found).persistent and found in session:
        return found
    found = session.exec(
        select(FortnoxConnection).where(FortnoxConnection.company_id == company_id)
    ).first()
    if found is not None:
        memo[company_id] = found
    return found


def usable(conn: FortnoxConnection | None) -> Token:
    """The stored access token of a live connection; NotConnected or AuthLost otherwise."""
    if conn is None or conn.status == DISCONNECTED or not conn.refresh_token_enc:
        raise NotConnected("The company is not connected to Fortnox.")
    if conn.status == LOST:
        raise AuthLost(conn.lost_reason or "The Fortnox connection was lost.")
    return Token(decrypt(conn.access_token_enc), conn.expires_at, conn.scope)


def store_pair(conn: FortnoxConnection, token: dict) -> None:
    """Put a token endpoint's answer on the row, encrypted."""
    conn.access_token_enc = encrypt(str(token["access_token"]))
    conn.refresh_token_enc = encrypt(str(token["refresh_token"]))
    expires_in = int(token.get("expires_in") or 3600)
    conn.expires_at = utcnow() + timedelta(seconds=expires_in)
    if token.get("scope"):
        conn.scope = str(token["scope"])
    conn.status = CONNECTED
    conn.lost_reason = ""
    conn.updated_at = utcnow()


def _own_session() -> Session:
    """A session of its own, so what it commits does not wait on the caller's transaction."""
    session = Session(make_engine(current_app.config["DATABASE_URL"]), expire_on_commit=False)
    if session.get_bind().dialect.name == "postgresql":
        # Never wait forever on a lock the caller's own open transaction holds.
        session.execute(text("SET lock_timeout = '15s'"))
        session.commit()
    return session


def _claim_row(session: Session, company_id: int) -> None:
    """Take the row's write lock now, so a pair Fortnox hands out can always be saved."""
    session.execute(
        sa.update(FortnoxConnection)
        .where(FortnoxConnection.company_id == company_id)  # type: ignore[arg-type]
        .values(updated_at=FortnoxConnection.updated_at)
    )


def lose(session: Session, conn: FortnoxConnection, reason: str) -> None:
    """Mark a connection lost (posting then waits) and audit it; the caller commits."""
    if conn.status == LOST:
        return
    conn.status = LOST
    conn.lost_reason = reason[:1000]
    conn.updated_at = utcnow()
    session.add(conn)
    record(
        session,
        action="fortnox.lost",
        company_id=conn.company_id,
        actor="system",
        target=f"company:{conn.company_id}",
        detail={"reason": reason[:500]},
    )


def mark_lost(company_id: int, reason: str) -> None:
    """Mark the company's connection lost, committed at once in a session of its own."""
    with _own_session() as s:
        conn = connection(s, company_id)
        if conn is not None and conn.status == CONNECTED:
            lose(s, conn, reason)
            s.commit()


@contextmanager
def _token_lock(company_id: int) -> Iterator[None]:
    """Hold the company's Redis lock under which its stored pair may be rewritten."""
    lock = get_redis().lock(
        f"kassabok:fortnox:refresh:{company_id}", timeout=90, blocking_timeout=100
    )
    if not lock.acquire():
        raise Retryable("Another refresh of the Fortnox token is taking too long.")
    try:
        yield
    finally:
        try:
            lock.release()
        except LockError:  # it expired while we worked; nothing left to release
            log.warning("refresh lock for company %s expired before release", company_id)


def refreshed(company_id: int, held: str, *, rejected: bool = False) -> Token:
    """A working access token, refreshing it unless another process already did.

    `held` is the access token the caller has; `rejected` says Fortnox just refused it.
    Only the holder of the company's Redis lock refreshes, and it commits the new pair
    before anyone uses it.
    """
    with _token_lock(company_id):
        return _refresh_locked(company_id, held, rejected)


def _refresh_locked(company_id: int, held: str, rejected: bool) -> Token:
    """The refresh itself, run while holding the lock."""
    with _own_session() as s:
        try:
            _claim_row(s, company_id)
        except OperationalError as err:
            raise Retryable("The database is busy; the token was not refreshed.") from err
        conn = connection(s, company_id)
        current = usable(conn)
        assert conn is not None
        if current.access_token != held and not current.stale():
            return current  # another process refreshed while we waited
        if current.access_token == held and not rejected and not current.stale():
            return current
        old_refresh = conn.refresh_token_enc
        try:
            answer = oauth.refresh(decrypt(old_refresh))
        except AuthLost as err:
            return _refused(s, conn, err)
        store_pair(conn, answer)
        s.add(conn)
        s.commit()
        log.info("company %s: Fortnox token refreshed", company_id)
        return Token(str(answer["access_token"]), conn.expires_at, conn.scope)


def _refused(s: Session, conn: FortnoxConnection, err: AuthLost) -> Token:
    """Fortnox refused the refresh: the connection is lost until someone authorizes again."""
    lose(s, conn, f"Fortnox refused to refresh the token ({err.message}).")
    s.commit()
    raise AuthLost(err.message, status=err.status)


def rotate_keys() -> tuple[int, list[int]]:
    """Re-encrypt every stored pair under the newest key: (pairs rewritten, companies failed)."""
    with _own_session() as s:
        companies = s.exec(
            select(FortnoxConnection.company_id).order_by(FortnoxConnection.company_id)
        ).all()
    done, failed = 0, []
    for company_id in companies:
        try:
            done += _rotate_one(company_id)
        except (RuntimeError, Retryable) as err:  # its key is gone, or a refresh holds the lock
            log.error("company %s: Fortnox tokens not re-encrypted (%s)", company_id, err)
            failed.append(company_id)
    return done, failed


def _rotate_one(company_id: int) -> int:
    """Re-encrypt one company's pair under its lock, so no refresh is overwritten; 1 if done."""
    with _token_lock(company_id), _own_session() as s:
        _claim_row(s, company_id)
        conn = connection(s, company_id)
        if conn is None or not (conn.access_token_enc or conn.refresh_token_enc):
            s.rollback()
            return 0
        conn.access_token_enc = rotate(conn.access_token_enc)
        conn.refresh_token_enc = rotate(conn.refresh_token_enc)
        s.add(conn)
        record(
            s,
            action="fortnox.keys_rotated",
            company_id=company_id,
            actor="cli",
            target=f"company:{company_id}",
        )
        s.commit()
        return 1
