"""A cell's actions: retry, approve, post a correction (posting's services), mark reviewed."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from flask import Response, abort, request
from flask_login import current_user, login_required
from sqlmodel import select

from app.audit.service import record
from app.auth.scoping import EDITORS, company_for, role_in
from app.companies.models import Store
from app.db import get_session
from app.posting import revisions, service
from app.reconcile.blueprint import BASE, bp
from app.reconcile.load import unreversed_older
from app.reconcile.models import Review
from app.reconcile.panel import actions_for
from app.reconcile.panel_forms import panel_closure, refused_review
from app.reconcile.reviews import seen_now  # B2: a review is bound to what it saw
from app.reconcile.views import answer, visible_store


@bp.post(BASE + "/closures/<int:pk>/<action>")
@login_required
def act(company_id: int, pk: int, action: str) -> Response:
    """Run one of the closure's allowed actions; the cell then shows the job's progress."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    closure = panel_closure(session, company, pk)
    role = role_in(session, current_user, company)
    due = closure.closure_id in unreversed_older(session, company.id or 0, [closure.closure_id])
    if action not in actions_for(closure, "superseded" if due else "", role):
        abort(403)
    if action == "retry":
        service.retry(session, closure_pk=pk, user=current_user)
    elif action == "approve":
        with suppress(service.NotAllowed):  # approved by someone else a moment ago
            service.approve(session, closure_pk=pk, user=current_user)
    else:
        revisions.request_correction(session, closure_pk=pk, user=current_user)
    session.commit()
    return answer(company_id, closure.store_code, closure.business_date, {"id": pk})


@bp.post(BASE + "/cell/<store_code>/<day>/review")
@login_required
def review(company_id: int, store_code: str, day: str) -> Response:
    """An accountant marks a cell reviewed, with a comment (audited)."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    visible_store(session, company, store_code)  # an unknown store is 404 before any 403
    if role_in(session, current_user, company) not in EDITORS:
        abort(403)
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    comment = request.form.get("comment", "").strip()[:2000]
    seen = seen_now(session, company.id or 0, store_code, when)
    if not comment or request.form.get("seen", seen) != seen:  # changed while read: refused
        return refused_review(company, store_code, when, comment)
    store = session.exec(
        select(Store).where(Store.company_id == company.id, Store.store_id == store_code)
    ).first()
    mark = Review(
        company_id=company.id or 0,
        store_pk=store.id if store else None,
        store_code=store_code,
        business_date=when,
        comment=comment,
        user_id=current_user.id,
        fingerprint=seen,
    )
    session.add(mark)
    record(
        session,
        action="reconcile.reviewed",
        company_id=company.id,
        user=current_user,
        target=f"storeday:{store_code}:{when.isoformat()}",
        detail={"comment": comment, "fingerprint": seen},
    )
    session.commit()
    return answer(company_id, store_code, when, None)
