"""The clearing settings page: late after N banking days, the acquirers' words (aliases) and the
stores' Swish numbers."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, request, url_for
from flask_login import current_user, login_required
from sqlmodel import Session

from app.auth.scoping import EDITORS, company_for, role_in
from app.clearing import settings
from app.clearing.blueprint import bp
from app.clearing.service import late_after
from app.companies.models import Company
from app.db import get_session
from app.render import render

PAGE = "/c/<int:company_id>/clearing/settings"


def _page(session: Session, company: Company, status: int = 200, **extra: Any) -> Response:
    """The settings page (or its partial) with the company's values and an optional error."""
    cid = company.id or 0
    ctx: dict[str, Any] = {
        "company": company,
        "can_edit": role_in(session, current_user, company) in EDITORS,
        "late_after": late_after(session, cid),
        "aliases": settings.company_aliases(session, cid),
        "unexplained": settings.unexplained(session, cid),
        "swish_numbers": settings.swish_numbers(session, cid),
        "unknown_swish": settings.unknown_swish_numbers(session, cid),
        "store_codes": settings.store_codes(session, cid),
        "method_codes": settings.method_codes(session, cid),
        "late_min": settings.LATE_MIN,
        "late_max": settings.LATE_MAX,
        **extra,
    }
    return render("clearing/settings.html", "clearing/_settings.html", status=status, **ctx)


@bp.get(PAGE)
@login_required
def settings_page(company_id: int) -> Response:
    """Clearing settings: everyone in the company reads them, admins and accountants edit."""
    session = get_session()
    return _page(session, company_for(session, current_user, company_id))


@bp.post(PAGE)
@login_required
def settings_save(company_id: int) -> Response:
    """Save late-after, add or remove an alias or a Swish number; a refusal re-shows the form."""
    session = get_session()
    company = company_for(session, current_user, company_id, *EDITORS)
    form = request.form
    what = form.get("what", "")
    try:
        if what == "late_after":
            settings.save_late_after(
                session, company_id=company_id, text=form.get("late_after", ""), user=current_user
            )
        elif what == "swish":
            settings.add_swish_number(
                session,
                company_id=company_id,
                number=form.get("number", ""),
                code=form.get("code", ""),
                user=current_user,
            )
        elif what in ("remove", "swish_remove"):
            settings.remove_alias(
                session,
                company_id=company_id,
                alias_id=int(form.get("alias_id", "0") or 0),
                user=current_user,
            )
        else:
            settings.add_alias(
                session,
                company_id=company_id,
                kind=form.get("kind", ""),
                word=form.get("word", ""),
                code=form.get("code", ""),
                user=current_user,
            )
    except (settings.SettingRefused, ValueError) as refused:
        session.rollback()
        return _page(session, company, 422, error=str(refused), error_for=what, typed=form)
    session.commit()
    return redirect(url_for("clearing.settings_page", company_id=company_id), 303)
