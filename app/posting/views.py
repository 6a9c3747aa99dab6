"""Approvals, retry with live status, notes and corrections: thin views over the service."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_htmx import make_response
from flask_login import current_user, login_required
from sqlmodel import Session, select

from app.auth.models import Role
from app.auth.scoping import EDITORS, company_for, role_in, visible_store_ids
from app.closures import notes
from app.closures.models import Closure, ClosureState
from app.closures.page import closure_page
from app.companies.models import Company
from app.db import get_session
from app.extensions import htmx
from app.fortnox import tokens, weblinks
from app.htmx_events import CLOSURE_CHANGED
from app.overview.fixes import fix_link, fixed_by
from app.posting import checks, reasons, revisions, service
from app.posting.documents import documents_of
from app.posting.labels import row_label
from app.render import render

bp = Blueprint("posting", __name__, url_prefix="/c/<int:company_id>")
# Every page shows a stored reason through these: `{{ closure.state_reason|reasons }}`.
bp.add_app_template_filter(reasons.render, "reasons")
bp.add_app_template_global(fix_link, "fix_link")
bp.add_app_template_global(fixed_by, "fixed_by")
bp.add_app_template_filter(row_label, "row_label")
# A document's address in Fortnox's web app: `fortnox_link(company_id, kind, n, series)`.
bp.add_app_template_global(weblinks.fortnox_link, "fortnox_link")
bp.add_app_template_global(weblinks.home, "fortnox_home")
APPROVERS = EDITORS
FIXERS = (*EDITORS, Role.STORE_MANAGER)
BUSY = {ClosureState.QUEUED, ClosureState.POSTING}


def _closure(session: Session, company: Company, pk: int) -> Closure:
    """A closure of company in a store the user may see, else 404."""
    closure = session.get(Closure, pk)
    if closure is None or closure.company_id != company.id:
        abort(404)
    visible = visible_store_ids(session, current_user, company)
    if visible is not None and closure.store_pk not in visible:
        abort(404)
    return closure


@bp.get("/approvals")
@login_required
def approvals(company_id: int) -> Response:
    """Closures awaiting approval, each with its voucher as it will be posted."""
    session = get_session()
    company = company_for(session, current_user, company_id, *APPROVERS)
    waiting = session.exec(
        select(Closure)
        .where(Closure.company_id == company.id, Closure.state == ClosureState.AWAITING_APPROVAL)
        .order_by(Closure.business_date, Closure.store_code)  # type: ignore[arg-type]
    ).all()
    previews = [(c, checks.plan(session, c, company)) for c in waiting]
    return render(
        "posting/approvals.html", "posting/_approvals.html", company=company, previews=previews
    )


@bp.post("/approvals/<int:pk>/approve")
@login_required
def approve(company_id: int, pk: int) -> Response:
    """Approve one closure: it is checked once more and queued."""
    session = get_session()
    company = company_for(session, current_user, company_id, *APPROVERS)
    closure = _closure(session, company, pk)
    # Approved by someone else a moment ago: just show where it stands.
    with suppress(service.NotAllowed):
        service.approve(session, closure_pk=closure.id or 0, user=current_user)
    session.commit()
    return _status(company, closure, trigger=True)


@bp.post("/approvals/approve-all")
@login_required
def approve_all(company_id: int) -> Response:
    """Approve every closure awaiting approval."""
    session = get_session()
    company = company_for(session, current_user, company_id, *APPROVERS)
    service.approve_all(session, company_id=company.id or 0, user=current_user)
    session.commit()
    return redirect(url_for("posting.approvals", company_id=company.id), 303)


@bp.post("/closures/<int:pk>/retry")
@login_required
def retry(company_id: int, pk: int) -> Response:
    """One click: check and queue a failed or held closure, then show its live status."""
    session = get_session()
    company = company_for(session, current_user, company_id, *FIXERS)
    closure = _closure(session, company, pk)
    if closure.state == ClosureState.HELD and notes.required(closure, company):
        return _status(company, closure, note_error=notes.required_error(closure))
    role = role_in(session, current_user, company)
    if closure.hold_code == "correction_due" and role in APPROVERS:
        revisions.request_correction(session, closure_pk=closure.id or 0, user=current_user)
    else:
        service.retry(session, closure_pk=closure.id or 0, user=current_user)
    session.commit()
    return _status(company, closure, trigger=True)


@bp.post("/closures/<int:pk>/note")
@login_required
def note(company_id: int, pk: int) -> Response:
    """Save a note (e.g. why the cash was off); a held closure is checked again."""
    session = get_session()
    company = company_for(session, current_user, company_id, *FIXERS)
    closure = _closure(session, company, pk)
    text = request.form.get("note", "")
    if not text.strip():
        return _status(company, closure, note_error=notes.empty_error(), note_text=text)
    service.add_note(session, closure_pk=closure.id or 0, user=current_user, note=text)
    session.commit()
    return _status(company, closure, trigger=True)


@bp.post("/fortnox/web-address")
@login_required
def fortnox_address(company_id: int) -> Response:
    """Keep the company's address in Fortnox's web app: document numbers then link there."""
    session = get_session()
    company = company_for(session, current_user, company_id, *APPROVERS)
    conn = tokens.connection(session, company.id or 0)
    address = request.form.get("address", "")
    error = weblinks.save(session, conn, address, current_user)
    if error is None:
        session.commit()
    elif not htmx:
        flash(error, "error")
    if not htmx:
        return redirect(url_for("fortnox.index", company_id=company.id, _anchor="web-address"), 303)
    ctx = {"company": company, "conn": conn, "web_error": error, "web_address": address}
    return render("fortnox/_web_address.html", **ctx)


@bp.get("/closures/<int:pk>/status")
@login_required
def status(company_id: int, pk: int) -> Response:
    """The self-replacing status component; it polls while the closure is queued or posting."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    closure = _closure(session, company, pk)
    return _status(company, closure)


def status_context(session: Session, company: Company, closure: Closure) -> dict[str, Any]:
    """What posting/_status.html needs; the closure page embeds it too."""
    role = role_in(session, current_user, company)
    return {
        "company": company,
        "closure": closure,
        "documents": documents_of(session, closure.id or 0),
        "busy": closure.state in BUSY,
        "can_fix": role in FIXERS,
        "can_approve": role in APPROVERS,
        "note_label": notes.label(closure),
        "note_written": notes.written(session, closure),
        "note_required": notes.required(closure, company),
        "note_max": notes.NOTE_MAX,
    }


def status_part(session: Session, company: Company, closure: Closure) -> dict[str, Any]:
    """Posting's part of the closure page (app/closures/page.py asks for it by an event)."""
    return status_context(session, company, closure) | {"show_posting": True}


def _status(company: Company, closure: Closure, trigger: bool = False, **error: str) -> Response:
    """Render the status component (a page for a no-JS post); an error stays beside the note."""
    session = get_session()
    session.refresh(closure)
    ctx = status_context(session, company, closure) | error
    if request.method == "POST" and not htmx:
        if error:
            page = closure_page(session, company, closure) | ctx
            return render("closures/show.html", status=422, **page)
        return redirect(url_for("closures.show", company_id=company.id, pk=closure.id), 303)
    response = render("posting/status.html", "posting/_status.html", **ctx)
    if trigger:
        return make_response(response, trigger={CLOSURE_CHANGED: {"id": closure.id}})
    return response
