"""Who ordered a report, as people read it: a name, not an id or an e-mail address alone."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.auth.models import User
from app.reports.models import Report


def person(user: Any) -> str:
    """A person by name, else by e-mail address ("" for nobody)."""
    return str(getattr(user, "name", "") or getattr(user, "email", "") or "")


def who_asked(session: Session, report: Report) -> str:
    """Who ordered report, for the PDF's cover: the name and, to tell people apart, the e-mail."""
    user = session.get(User, report.ordered_by) if report.ordered_by else None
    if user is None:
        return report.ordered_by_name
    return f"{user.name} ({user.email})" if user.name else user.email


def orderers(session: Session, reports: list[Report]) -> dict[int, tuple[str, str]]:
    """Per report id: who ordered it, by the name the person has now, and their e-mail."""
    ids = {r.ordered_by for r in reports if r.ordered_by}
    found = session.exec(select(User).where(col(User.id).in_(ids))).all() if ids else []
    users = {u.id: u for u in found}
    out = {}
    for r in reports:
        user = users.get(r.ordered_by)
        out[r.id or 0] = (person(user), user.email) if user else (r.ordered_by_name, "")
    return out
