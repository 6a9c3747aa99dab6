"""Who gets a digest, the on/off choice (audited), and sending it at most once a user and day."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import mail
from app.audit.service import record
from app.auth.models import Membership, User
from app.db import utcnow
from app.digest.compose import Mail, compose
from app.digest.models import DigestPreference, DigestSent

log = logging.getLogger(__name__)
# What send() did, for the job's result and the CLI.
SENT, WOULD, NOTHING = "sent", "would be sent", "nothing to report"
OFF, ALREADY, INACTIVE = "turned off", "already sent today", "inactive"


def today(now: datetime | None = None) -> date:
    """The date in Kassabok's time zone (a digest is per local day)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return (now or datetime.now(UTC)).astimezone(zone).date()


def is_enabled(session: Session, user_id: int) -> bool:
    """Whether the user wants the daily digest (on unless turned off)."""
    preference = session.get(DigestPreference, user_id)
    return preference is None or preference.enabled


def set_enabled(session: Session, *, user: User, enabled: bool) -> bool:
    """Turn the user's digest on or off, audited in each of their companies; False if unchanged.

    Not committed: the view is the unit of work.
    """
    before = is_enabled(session, user.id or 0)
    if before == enabled:
        return False
    preference = session.get(DigestPreference, user.id) or DigestPreference(user_id=user.id or 0)
    preference.enabled, preference.changed_at = enabled, utcnow()
    session.add(preference)
    companies = session.exec(
        select(Membership.company_id).where(Membership.user_id == user.id)
    ).all() or [None]
    for company_id in companies:
        record(
            session,
            action="settings.changed",
            company_id=company_id,
            user=user,
            target=f"user {user.email}",
            detail={"before": {"daily_digest": before}, "after": {"daily_digest": enabled}},
        )
    return True


def recipients(session: Session, email: str | None = None) -> list[User]:
    """Active members of any company (or the one with email), by email."""
    query = (
        select(User)
        .where(User.is_active, User.id.in_(select(Membership.user_id)))  # type: ignore[union-attr]
        .order_by(User.email)
    )
    if email is not None:
        query = query.where(User.email == email.strip().lower())
    return list(session.exec(query).all())


def send(
    session: Session, user: User, day: date, *, dry_run: bool = False
) -> tuple[str, Mail | None]:
    """Send user's digest for day unless it is off, empty or already sent; what happened.

    The (user, day) row is committed before the mail leaves, so a second run the same day (the
    scheduler firing twice, a retry, the CLI) finds it and sends nothing; a refused mail removes
    it again so that a later run may try.
    """
    if not user.is_active:
        return INACTIVE, None
    if not is_enabled(session, user.id or 0):
        return OFF, None
    if not dry_run and _sent(session, user.id or 0, day):
        return ALREADY, None
    digest = compose(session, user, day)
    if digest is None or dry_run:
        return (NOTHING if digest is None else WOULD), digest
    claim = DigestSent(user_id=user.id or 0, day=day, items=digest.items)
    session.add(claim)
    try:
        session.commit()
    except IntegrityError:  # another run claimed it a moment ago
        session.rollback()
        return ALREADY, None
    try:
        mail.send(user.email, digest.subject, digest.text, digest.html)
    except mail.MailError:
        session.exec(delete(DigestSent).where(DigestSent.id == claim.id))  # type: ignore[call-overload, arg-type]
        session.commit()
        raise
    return SENT, digest


def _sent(session: Session, user_id: int, day: date) -> bool:
    """Whether the user's digest for day went out already."""
    found = select(DigestSent.id).where(DigestSent.user_id == user_id, DigestSent.day == day)
    return session.exec(found).first() is not None
