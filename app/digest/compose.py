"""What a user's digest says: the overview's counts and store-days, scoped as the overview is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale, ngettext
from sqlmodel import Session

from app import mail
from app.auth.models import User
from app.auth.scoping import EDITORS
from app.i18n import supported
from app.overview.attention import ACTIONS, COLUMNS, grid_url
from app.overview.service import overview_rows
from app.reconcile.texts import STATUS_TEXT

LINES = 10  # store-days listed per company; the counts' links lead to the rest


@dataclass(frozen=True)
class Count:
    """How many store-days of one status a company has, and the grid that shows them."""

    status: str
    n: int
    url: str


@dataclass(frozen=True)
class Line:
    """One store-day that needs the user, with the panel that deals with it."""

    day: date
    store_code: str
    status: str
    url: str


@dataclass
class Part:
    """One company's share of the digest."""

    name: str
    url: str
    counts: list[Count] = field(default_factory=list)
    approvals: int = 0
    approvals_url: str = ""
    lines: list[Line] = field(default_factory=list)
    days: int = 0  # store-days needing someone, all of them
    more: int = 0  # what needs someone beyond the listed lines


@dataclass(frozen=True)
class Mail:
    """A rendered digest."""

    subject: str
    text: str
    html: str
    items: int


def locale_of(user: User) -> str:
    """The user's saved language, else the portal's default."""
    return supported(user.locale) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _part(row: Any) -> Part:
    """What needs the user in one overview row, as the overview counts it (inside public_links)."""
    cid = row.company.id
    part = Part(name=row.company.name, url=mail.absolute(grid_url(row)))
    part.counts = [
        Count(s, row.counts[s], mail.absolute(grid_url(row, s)))
        for s in COLUMNS
        if row.counts.get(s)
    ]
    part.days = sum(c.n for c in part.counts)
    part.approvals = row.counts.get("awaiting_approval") or 0
    if part.approvals and row.role in EDITORS:
        part.approvals_url = url_for("posting.approvals", company_id=cid, _external=True)
    part.lines = [
        Line(a.day, a.store_code, a.status, _cell_url(cid, a.store_code, a.day))
        for a in row.attention[:LINES]
    ]
    part.more = max(len(row.attention) - LINES, 0)
    return part


def _cell_url(company_id: int, store_code: str, day: date) -> str:
    """The public address of one store-day's panel."""
    return url_for(
        "dashboard.cell",
        company_id=company_id,
        store_code=store_code,
        day=day.isoformat(),
        _external=True,
    )


def subject(days: int, approvals: int) -> str:
    """The subject line: how many store-days and approvals wait, in the current language."""
    said = []
    if days:
        said.append(ngettext("%(num)d store-day needs you", "%(num)d store-days need you", days))
    if approvals:
        said.append(
            ngettext(
                "%(num)d closure awaits approval", "%(num)d closures await approval", approvals
            )
        )
    return "Kassabok: " + ", ".join(said)


def compose(session: Session, user: User, day: date) -> Mail | None:
    """The user's digest for day in their language, or None when nothing needs them."""
    with mail.public_links(), force_locale(locale_of(user)):
        parts = [_part(row) for row in overview_rows(session, user)]
        parts = [p for p in parts if p.days or p.approvals]
        if not parts:
            return None
        days = sum(p.days for p in parts)
        approvals = sum(p.approvals for p in parts)
        context = {
            "user": user,
            "day": day,
            "parts": parts,
            "subject": subject(days, approvals),
            "status_text": STATUS_TEXT,
            "actions": ACTIONS,
            "overview_url": url_for("overview.index", _external=True),
            "account_url": url_for("account.password", _external=True) + "#digest",
        }
        return Mail(
            subject=context["subject"],
            text=render_template("digest/mail_text.html", **context),
            html=render_template("digest/mail.html", **context),
            items=days + approvals,
        )
