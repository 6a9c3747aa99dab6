"""A closure's note: what it is called, when one is required, who wrote it and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.closures.figures import cash_difference, cash_over
from app.closures.models import Closure

NOTE_MAX = 2000


@dataclass(frozen=True)
class Written:
    """Who saved the note last, and when."""

    who: str
    at: datetime


def label(closure: Closure) -> str:
    """The note field's name: about the cash difference when the POS counted the cash."""
    if closure.payload.get("cash_count"):
        return _("Note on the cash difference")
    return _("Note on the closure")


def written(session: Session, closure: Closure) -> Written | None:
    """Who saved the closure's note last and when (from the audit log), or None."""
    if not closure.note:
        return None
    event = session.exec(
        select(AuditEvent)
        .where(AuditEvent.action == "closure.note", AuditEvent.target == f"closure:{closure.id}")
        .order_by(col(AuditEvent.id).desc())
    ).first()
    if event is None:
        return None
    user = session.get(User, event.user_id) if event.user_id else None
    return Written((user.name if user and user.name else "") or event.actor, event.created_at)


def required(closure: Closure, company: Any) -> bool:
    """True when the cash is off by more than the company allows and no note says why."""
    if closure.note.strip():
        return False
    return cash_over(closure.payload, company.cash_threshold) is not None


def empty_error() -> str:
    """What to do about a note saved empty."""
    return _("The note is empty. Write what happened, e.g. why the counted cash differs.")


def required_error(closure: Closure) -> str:
    """What to do before a retry of a closure held for its cash difference."""
    from app.i18n import money

    return _(
        "Write a note on the cash difference of %(amount)s first: the closure stays held "
        "until a note says why the cash was off. Saving the note sends it on.",
        amount=money(cash_difference(closure.payload)),
    )
