"""Password-reset links: single use, time-limited, only their SHA-256 kept, mailed by the worker."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from rq import Retry
from sqlalchemy import delete, update
from sqlmodel import Session, select

from app import mail
from app.auth.models import PasswordReset, User
from app.auth.service import set_password
from app.db import utcnow
from app.queue import get_queue

SEND_TASK = "worker.jobs.auth.send_reset_link"


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


def queue_link(user_id: int) -> None:
    """Have the worker mail a reset link: the request neither waits for SMTP nor reveals it."""
    get_queue("sync").enqueue(
        SEND_TASK,
        user_id,
        at_front=True,  # a person is waiting for it; posts can wait a second
        retry=Retry(max=2, interval=[30, 300]),
    )


def mail_link(session: Session, *, user: User) -> None:
    """Issue a reset link (committed) and mail it in the user's language; MailError if refused."""
    minutes = int(current_app.config["PASSWORD_RESET_MINUTES"])
    token = issue(session, user=user, minutes=minutes)
    session.commit()
    with mail.public_links(), force_locale(user.locale):
        link = url_for("account.reset", token=token, _external=True)
        subject = _("Reset your Kassabok password")
        body = _(
            "Someone (you, we hope) asked to reset the password of %(email)s in Kassabok.\n\n"
            "Open this link within %(minutes)d minutes to choose a new password; it works once:\n"
            "%(link)s\n\nIf it was not you, do nothing: your password stays as it is.",
            email=user.email,
            minutes=minutes,
            link=link,
        )
    mail.send(user.email, subject, body)


def send_link(session: Session, user_id: int) -> str:
    """Mail an active user a reset link (worker/jobs/auth.py); "sent", or "gone" when not one."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return "gone"
    mail_link(session, user=user)
    return "sent"
