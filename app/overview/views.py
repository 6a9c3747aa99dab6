"""The agency overview: every company the user holds, and opening a new one."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import Role
from app.auth.scoping import EDITORS
from app.companies.forms import ROLE_LABELS, NewCompanyForm
from app.companies.onboarding import may_open_company, open_company
from app.companies.service import CompanyError
from app.db import get_session
from app.overview.attention import ACTIONS, COLUMNS, attention_list, grid_url
from app.overview.service import OverviewRow, overview_rows
from app.reconcile.texts import STATUS_TEXT
from app.render import render

bp = Blueprint("overview", __name__)


@bp.get("/")
@login_required
def index() -> Response:
    """List the user's companies with health, last posted day and counts."""
    session = get_session()
    rows = overview_rows(session, current_user)
    # With the reconcile area: each row links to its dashboard and shows the last matched day.
    has_matched = "dashboard.index" in current_app.view_functions
    if has_matched and _one_store(rows):  # the store manager's day: their store's month grid
        return redirect(grid_url(rows[0]))
    return render(
        "overview/index.html",
        rows=rows,
        roles=ROLE_LABELS,
        has_matched=has_matched,
        may_open=may_open_company(session, current_user),
        columns=COLUMNS,
        actions=ACTIONS,
        attention=attention_list(rows) if has_matched else [],
        grid_url=grid_url,
        status_text={k: (str(label), mark) for k, (label, mark) in STATUS_TEXT.items()},
        may_approve=lambda row: row.role in EDITORS,
    )


def _one_store(rows: list[OverviewRow]) -> bool:
    """True for a store manager of one store in one company, who lands on its grid."""
    row = rows[0] if len(rows) == 1 else None
    return row is not None and row.role == Role.STORE_MANAGER and len(row.visible or ()) == 1


@bp.route("/companies/new", methods=["GET", "POST"])
@login_required
def new_company() -> Response:
    """An admin of any company opens a new one and becomes its admin; then its stores."""
    session = get_session()
    if not may_open_company(session, current_user):
        abort(403)
    form = NewCompanyForm()
    status = 200
    if form.validate_on_submit():
        try:
            company = open_company(
                session,
                name=form.name.data or "",
                orgnr=form.orgnr.data or "",
                creator=current_user,
            )
        except CompanyError as error:
            session.rollback()
            form.orgnr.errors = [str(error)]
        else:
            session.commit()
            flash(
                _(
                    "%(name)s is created and you are its admin. Next: add its stores here, then "
                    "connect Fortnox, map the accounts and create an API token for the POS.",
                    name=company.name,
                ),
                "success",
            )
            return redirect(url_for("companies.stores", company_id=company.id), 303)
    if form.errors:
        status = 422
    return render("overview/new_company.html", form=form, status=status)
