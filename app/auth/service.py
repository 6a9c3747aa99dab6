"""Passwords, sign-in with throttling, and a user's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.models import LoginAttempt, User
from app.db import utcnow

# Checked when the email is unknown so that a miss costs as much time as a hit.
_DUMMY_HASH = generate_password_hash("not-a-password", method="scrypt")
MIN_PASSWORD = 10


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding blanks."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """A scrypt hash of password."""
    return generate_password_hash(password, method="scrypt")


@dataclass(frozen=True)
class LoginResult:
    """The user who signed in (None when not), and whether guessing was throttled."""

    user: User | None
    throttled: bool = False


def failed_attempts(session: Session, *, email: str, remote_addr: str, window: int) -> int:
    """Failed sign-ins for the email, or from the address, within the last window seconds."""
    since = utcnow() - timedelta(seconds=window)
    by_email = session.exec(
        select(func.count()).where(LoginAttempt.email == email, LoginAttempt.at >= since)
    ).one()
    by_addr = session.exec(
        select(func.count()).where(
            LoginAttempt.remote_addr == remote_addr, LoginAttempt.at >= since
        )
    ).one()
    # One address may try a few accounts; one account is guarded on its own.
    return max(by_email, by_addr // 4)


def authenticate(
    session: Session, *, email: str, password: str, remote_addr: str, limit: int, window: int
) -> LoginResult:
    """Check the credentials unless too many recent failures; record a failure."""
    email = normalise_email(email)
    if failed_attempts(session, email=email, remote_addr=remote_addr, window=window) >= limit:
        return LoginResult(None, throttled=True)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is not None and ok and user.is_active:
        session.exec(delete(LoginAttempt).where(LoginAttempt.email == email))  # type: ignore[call-overload]
        return LoginResult(user)
    session.add(LoginAttempt(email=email, remote_addr=remote_addr[:64]))
    cutoff = utcnow() - timedelta(days=1)
    session.exec(delete(LoginAttempt).where(LoginAttempt.at < cutoff))  # type: ignore[call-overload]
    return LoginResult(None)


def create_user(
    session: Session, *, email: str, password: str, name: str = "", locale: str = "sv"
) -> User:
    """A new user with a hashed password (not committed)."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise UserError(_("Enter a valid email address."))
    if len(password) < MIN_PASSWORD:
        raise UserError(_("The password needs at least %(n)d characters.", n=MIN_PASSWORD))
    if session.exec(select(User).where(User.email == email)).first():
        raise UserError(_("A user with that email already exists."))
    user = User(
        email=email, name=name.strip(), locale=locale, password_hash=hash_password(password)
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, *, email: str) -> User | None:
    """The user with that email."""
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def set_locale(session: Session, *, user: User, locale: str) -> None:
    """Remember the user's language."""
    user.locale = locale
    session.add(user)
