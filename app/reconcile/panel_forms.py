"""The day panel's forms that can be refused: the answer is the panel, the error beside its field.

A refused form never ends as a flash at the top of the page: the panel comes back (422, which
htmx swaps) with the field marked invalid, its error tied to it and focused.
"""

from __future__ import annotations

from datetime import date

from flask import Response, abort, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import Session

from app.auth.scoping import company_for, role_in
from app.closures.models import Closure
from app.companies.models import Company
from app.db import get_session
from app.posting import service
from app.reconcile.blueprint import BASE, bp
from app.reconcile.board import texts
from app.reconcile.panel import FIXERS, cell_panel, needs_note
from app.reconcile.views import answer, visible_store
from app.render import render


def panel_closure(session: Session, company: Company, pk: int) -> Closure:
    """The company's closure pk, of a store the user sees; else 404."""
    closure = session.get(Closure, pk)
    if closure is None or closure.company_id != company.id:
        abort(404)
    visible_store(session, company, closure.store_code)
    return closure


def refused(
    company: Company,
    store_code: str,
    day: date,
    errors: dict[str, str],
    values: dict[str, str] | None = None,
) -> Response:
    """The day's panel again, each error beside its field (field id -> what to fix, typed)."""
    session = get_session()
    session.rollback()  # nothing of a refused form is kept
    role = role_in(session, current_user, company)
    ctx = cell_panel(session, company, store_code, day, role)
    ctx.update(errors=errors, values=values or {})
    return render(
        "reconcile/cell.html",
        "reconcile/_panel.html",
        status=422,
        company=company,
        **ctx,
        **texts(),
    )


def refused_review(company: Company, store_code: str, day: date, comment: str = "") -> Response:
    """A review without a comment, or of differences that changed while it was written."""
    why = _("Write a comment: what you checked, and why the difference is in order.")
    if comment:  # the panel comes back with today's differences, the comment kept
        why = _(
            "The differences changed while you were reviewing; the panel now shows them. "
            "Look at them again, then mark the day reviewed."
        )
    return refused(company, store_code, day, {"review-comment": why}, {"review-comment": comment})


@bp.post(BASE + "/notes/<int:pk>")
@login_required
def note(company_id: int, pk: int) -> Response:
    """Save the note a held closure waits for, and retry it; an empty note is refused."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    closure = panel_closure(session, company, pk)
    if role_in(session, current_user, company) not in FIXERS:
        abort(403)
    text = request.form.get("note", "").strip()
    if needs_note(closure) and not text:
        why = _("Write why the counted cash differs from the expected cash; then it is posted.")
        return refused(company, closure.store_code, closure.business_date, {f"note-{pk}": why})
    if text:
        service.add_note(session, closure_pk=pk, user=current_user, note=text)
    session.commit()
    return answer(company_id, closure.store_code, closure.business_date, {"id": pk})
