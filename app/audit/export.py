"""The audit trail's matching events as CSV or XLSX, in the reader's language (app/exports.py)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app
from flask_babel import gettext as _
from flask_login import login_required

from app.audit import labels
from app.audit.blueprint import bp
from app.audit.details import event_details
from app.audit.models import AuditEvent
from app.audit.views import filters, readable
from app.db import get_session
from app.exports import Column, attachment
from app.reports import trail

LIMIT = 50_000  # events in one file; a longer trail is exported a period at a time


def changed(detail: dict[str, Any] | None) -> str:
    """What an event changed, on one line: field before → after, else its details."""
    diff = trail.changes(detail)
    if diff:
        return "; ".join(_change(c) for c in diff)
    return "; ".join(f"{label}: {words}" for label, words in event_details(detail))


def _change(c: trail.Change) -> str:
    before, after = labels.value(c.before, c.key), labels.value(c.after, c.key)
    return f"{labels.field(c.key)}: {before} → {after}"


def row(event: AuditEvent, zone: ZoneInfo) -> list[Any]:
    """One event as the export's cells."""
    action = event.action
    what = _(trail.ACTIONS[action]) if action in trail.ACTIONS else action
    target = labels.target(event.company_id or 0, event.target).text
    when = event.created_at.astimezone(zone)
    return [event.id, when, labels.actor(event.actor), what, target, changed(event.detail)]


@bp.get("/export.<any(csv, xlsx):fmt>")
@login_required
def export(company_id: int, fmt: str) -> Response:
    """Every event matching the page's filters, newest first."""
    company = readable(company_id)
    f, _errors = filters()
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    events, _total = trail.search(get_session(), company.id or 0, f, zone, 1, LIMIT)
    columns = [Column("#", "integer"), Column(_("When"), "datetime"), Column(_("Who"))]
    columns += [Column(_("What")), Column(_("Target")), Column(_("What changed"))]
    rows = [row(e, ZoneInfo(zone)) for e in events]
    return attachment(columns, rows, f"audit-{company.orgnr}", fmt)
