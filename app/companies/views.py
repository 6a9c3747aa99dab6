"""A company's home, settings and stores (edited in place with htmx)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_htmx import make_response
from flask_login import current_user, login_required

from app import htmx_events
from app.auth.scoping import ADMINS, company_for, require_store, visible_stores
from app.companies import service
from app.companies.configure import FIELDS, SettingsInvalid, apply_settings
from app.companies.forms import SettingsForm, StoreForm
from app.companies.models import StoreBase
from app.db import get_session
from app.extensions import htmx
from app.render import render

bp = Blueprint("companies", __name__, url_prefix="/c/<int:company_id>")
LANDING = ("dashboard.index", "closures.index", "companies.stores")


@bp.get("/")
@login_required
def home(company_id: int) -> Response:
    """A company's first page: its dashboard when there is one."""
    company_for(get_session(), current_user, company_id)
    endpoint = next(e for e in LANDING if e in current_app.view_functions)
    return redirect(url_for(endpoint, company_id=company_id))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings(company_id: int) -> Response:
    """Show and save the company's settings (validated, audited, pre-flight re-run)."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    form = SettingsForm(obj=company)
    status = 200
    if form.validate_on_submit():
        changes = {name: form[name].data for name in FIELDS}
        try:
            diff = apply_settings(session, company=company, changes=changes, user=current_user)
        except SettingsInvalid as invalid:
            session.rollback()
            for name, problem in invalid.problems.items():
                form[name].errors = [*form[name].errors, problem]
        else:
            session.commit()
            flash(_("Settings saved.") if diff else _("Nothing changed."), "success")
            return redirect(url_for(".settings", company_id=company_id), 303)
    if form.errors:
        status = 422
    return render("companies/settings.html", company=company, form=form, status=status)


@bp.route("/stores", methods=["GET", "POST"])
@login_required
def stores(company_id: int) -> Response:
    """The stores the user may see; admins add one here."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    form = StoreForm()
    status = 200
    if request.method == "POST":
        company_for(session, current_user, company_id, *ADMINS)
        if form.validate_on_submit():
            try:
                service.create_store(
                    session, company=company, data=StoreBase(**_store_data(form)), user=current_user
                )
            except service.CompanyError as error:
                form.store_id.errors = [str(error)]
            else:
                session.commit()
                flash(_("Store added."), "success")
                return redirect(url_for(".stores", company_id=company_id), 303)
        status = 422
    rows = visible_stores(session, current_user, company)
    return render("companies/stores.html", company=company, stores=rows, form=form, status=status)


def _store_data(form: StoreForm) -> dict[str, str]:
    """The store fields of a submitted form."""
    return {name: (form[name].data or "").strip() for name in ("store_id", "name", "cost_center")}


@bp.get("/stores/<int:store_pk>")
@login_required
def store_row(company_id: int, store_pk: int) -> Response:
    """One store's row (what "Cancel" puts back), or the stores page."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    store = require_store(session, current_user, company, store_pk)
    if not htmx:
        return redirect(url_for(".stores", company_id=company_id))
    return render(
        "companies/stores.html", "companies/_store_row.html", company=company, store=store
    )


@bp.get("/stores/<int:store_pk>/edit")
@login_required
def edit_store(company_id: int, store_pk: int) -> Response:
    """The store's row as a form (a page of its own without JavaScript)."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    store = require_store(session, current_user, company, store_pk)
    form = StoreForm(obj=store)
    return render(
        "companies/store_edit.html",
        "companies/_store_edit_row.html",
        company=company,
        store=store,
        form=form,
    )


@bp.route("/stores/<int:store_pk>", methods=["PUT", "POST"])
@login_required
def update_store(company_id: int, store_pk: int) -> Response:
    """Save a store; htmx gets the row back, a plain form a redirect."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    store = require_store(session, current_user, company, store_pk)
    form = StoreForm()
    if form.validate_on_submit():
        try:
            service.update_store(
                session, store=store, data=StoreBase(**_store_data(form)), user=current_user
            )
        except service.CompanyError as error:
            form.store_id.errors = [str(error)]
        else:
            session.commit()
            if htmx:
                html = render(
                    "companies/stores.html",
                    "companies/_store_row.html",
                    company=company,
                    store=store,
                    saved=True,
                ).get_data(as_text=True)
                response = make_response(html, trigger={htmx_events.STORE_SAVED: {"id": store.id}})
                response.vary.add("HX-Request")
                return response
            flash(_("Store saved."), "success")
            return redirect(url_for(".stores", company_id=company_id), 303)
    session.rollback()
    session.refresh(store)
    return render(
        "companies/store_edit.html",
        "companies/_store_edit_row.html",
        status=422,
        company=company,
        store=store,
        form=form,
    )
