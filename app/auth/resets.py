"""Password-reset links: single use, time-limited, only their SHA-256 kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, select

from app.auth.models import PasswordReset, User
from app.auth.service import set_password
from app.db import utcnow


def _digest(token: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, *, user: User, minutes: int) -> str:
    """A new reset token for user, valid for minutes (only its hash is stored; not committed)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.exec(delete(PasswordReset).where(PasswordReset.expires_at < now))  # type: ignore[call-overload]
    session.add(
        PasswordReset(
            user_id=user.id,  # type: ignore[arg-type]
            token_hash=_digest(token),
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    session.flush()
    return token


def find(session: Session, token: str) -> tuple[PasswordReset, User] | None:
    """The unused, unexpired reset of token and its (active) user, or None."""
    if not token or len(token) > 100:
        return None
    reset = session.exec(
        select(PasswordReset).where(PasswordReset.token_hash == _digest(token))
    ).first()
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    user = session.get(User, reset.user_id)
    if user is None or not user.is_active:
        return None
    return reset, user


def redeem(session: Session, *, token: str, password: str) -> User | None:
    """Set the password through a reset token and spend every open link of that user.

    None when the token is not (or no longer) valid; UserError when the policy refuses password.
    """
    found = find(session, token)
    if found is None:
        return None
    reset, user = found
    spent = session.exec(
        update(PasswordReset)  # type: ignore[call-overload]
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))  # type: ignore[union-attr]
        .values(used_at=utcnow())
    )
    if not spent.rowcount:  # a parallel request used the link first
        return None
    set_password(session, user=user, password=password)
    return user
