"""A company's API tokens for the POS: create (shown once) and revoke (admins only)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.scoping import ADMINS, company_for
from app.companies import tokens
from app.companies.forms import TokenForm
from app.db import get_session
from app.render import render

bp = Blueprint("tokens", __name__, url_prefix="/c/<int:company_id>/tokens")


@bp.route("", methods=["GET", "POST"])
@login_required
def index(company_id: int) -> Response:
    """The tokens; creating one shows it this once and never again."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    form = TokenForm()
    created = None
    status = 200
    if form.validate_on_submit():
        _token, created = tokens.create_token(
            session, company=company, name=form.name.data or "", user=current_user
        )
        session.commit()
        form = TokenForm(formdata=None)
        status = 201
    elif form.errors:
        status = 422
    rows = tokens.tokens_of(session, company=company)
    return render(
        "companies/tokens.html",
        company=company,
        rows=rows,
        form=form,
        created=created,
        status=status,
    )


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(company_id: int, token_id: int) -> Response:
    """Revoke a token; the POS using it is refused from now on."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    tokens.revoke_token(session, company=company, token_id=token_id, user=current_user)
    session.commit()
    flash(_("Token revoked."), "success")
    return redirect(url_for(".index", company_id=company_id), 303)
