"""Users, passwords, the two sign-in steps (throttled), sessions, and a user's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import update
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth import throttle, totp
from app.auth.models import User
from app.auth.passwords import password_problem

# Checked when the email is unknown so that a miss costs as much time as a hit.
_DUMMY_HASH = generate_password_hash("not-a-password", method="scrypt")


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
    """Who passed (None when nobody), whether a TOTP code is still due, or how long to wait."""

    user: User | None
    wait: int = 0
    needs_code: bool = False

    @property
    def throttled(self) -> bool:
        """Too many recent attempts: the password was not even checked."""
        return self.wait > 0


def authenticate(session: Session, *, email: str, password: str, remote_addr: str) -> LoginResult:
    """Check the credentials unless the account or address must wait (see throttle)."""
    email = normalise_email(email)
    verdict = throttle.reserve(email, remote_addr)
    if not verdict.allowed:
        return LoginResult(None, wait=verdict.wait)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not ok or not user.is_active:
        return LoginResult(None)
    if user.totp_enabled:
        return LoginResult(user, needs_code=True)  # the count is cleared only by the right code
    throttle.succeeded(email, remote_addr)
    return LoginResult(user)


def check_code(session: Session, *, user: User, code: str, remote_addr: str) -> LoginResult:
    """The second step: a TOTP code, counted against the same account and address."""
    verdict = throttle.reserve(user.email, remote_addr)
    if not verdict.allowed:
        return LoginResult(None, wait=verdict.wait)
    if not user.is_active or not totp.accept(session, user=user, code=code):
        return LoginResult(None)
    throttle.succeeded(user.email, remote_addr)
    return LoginResult(user)


def end_sessions(session: Session, *, user_id: int) -> int:
    """Raise the user's session generation so every existing session stops loading."""
    session.exec(
        update(User)  # type: ignore[call-overload]
        .where(User.id == user_id)  # type: ignore[arg-type]
        .values(session_generation=User.session_generation + 1)
    )
    user = session.get(User, user_id)
    if user is None:
        return 0
    session.refresh(user)
    return user.session_generation


def check_new_password(password: str, *, email: str, name: str = "") -> None:
    """Raise UserError when the password policy refuses password for this person."""
    problem = password_problem(password, email=normalise_email(email), name=name)
    if problem:
        raise UserError(problem)


def set_password(session: Session, *, user: User, password: str) -> int:
    """Store a new password (policy checked) and end every session; the new generation."""
    check_new_password(password, email=user.email, name=user.name)
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    return end_sessions(session, user_id=user.id)  # type: ignore[arg-type]


def create_user(
    session: Session, *, email: str, password: str, name: str = "", locale: str = "sv"
) -> User:
    """A new user with a hashed password (not committed)."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise UserError(_("Enter a valid email address."))
    check_new_password(password, email=email, name=name)
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
