"""A company's audit trail, newest first."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_login import current_user, login_required
from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth.scoping import READERS, company_for
from app.db import get_session
from app.render import render

bp = Blueprint("audit", __name__, url_prefix="/c/<int:company_id>/audit")
PAGE = 50


@bp.get("")
@login_required
def index(company_id: int) -> Response:
    """One page of the company's events; `before` pages back in time."""
    session = get_session()
    company = company_for(session, current_user, company_id, *READERS)
    query = select(AuditEvent).where(AuditEvent.company_id == company.id)
    before = request.args.get("before", type=int)
    if before:
        query = query.where(AuditEvent.id < before)
    events = list(session.exec(query.order_by(AuditEvent.id.desc()).limit(PAGE + 1)).all())  # type: ignore[union-attr]
    older = events[PAGE - 1].id if len(events) > PAGE else None
    return render(
        "audit/index.html",
        "audit/_rows.html",
        company=company,
        events=events[:PAGE],
        older=older,
    )
