"""Users and roles of a company: invite, change role and stores, remove (admins only)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.scoping import ADMINS, company_for
from app.auth.service import UserError
from app.companies import members, service
from app.companies.forms import ROLE_LABELS, InviteForm, MemberForm
from app.companies.models import Company
from app.db import get_session
from app.render import render

bp = Blueprint("people", __name__, url_prefix="/c/<int:company_id>/users")


def _with_stores(form: MemberForm, company: Company) -> MemberForm:
    """Offer the company's stores as choices."""
    stores = service.stores_of(get_session(), company=company)
    form.stores.choices = [(s.id, f"{s.store_id} · {s.name}") for s in stores]
    return form


@bp.route("", methods=["GET", "POST"])
@login_required
def index(company_id: int) -> Response:
    """The members and the invite form; inviting adds a member."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    form = _with_stores(InviteForm(), company)
    status = 200
    if form.validate_on_submit():
        try:
            members.add_member(
                session,
                company=company,
                email=form.email.data or "",
                role=form.role.data or "",
                store_ids=form.stores.data or [],
                password=form.password.data or "",
                name=form.name.data or "",
                actor=current_user,
            )
        except (UserError, members.MemberError) as error:
            session.rollback()
            form.email.errors = [str(error)]
        else:
            session.commit()
            flash(_("%(email)s was added.", email=form.email.data), "success")
            return redirect(url_for(".index", company_id=company_id), 303)
    if form.errors:
        status = 422
    rows = members.members_of(session, company=company)
    return render(
        "companies/users.html",
        company=company,
        rows=rows,
        form=form,
        roles=ROLE_LABELS,
        status=status,
    )


@bp.route("/<int:membership_id>", methods=["GET", "POST"])
@login_required
def edit(company_id: int, membership_id: int) -> Response:
    """Change a member's role and stores."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    membership = members.get_membership(session, company=company, membership_id=membership_id)
    held = members.stores_held(session, membership=membership)
    form = _with_stores(MemberForm(role=membership.role, stores=[s.id for s in held]), company)
    if form.validate_on_submit():
        try:
            members.change_member(
                session,
                company=company,
                membership=membership,
                role=form.role.data or "",
                store_ids=form.stores.data or [],
                actor=current_user,
            )
        except members.MemberError as error:
            session.rollback()
            form.role.errors = [str(error)]
        else:
            session.commit()
            flash(_("Role saved."), "success")
            return redirect(url_for(".index", company_id=company_id), 303)
    user = next(
        m.user
        for m in members.members_of(session, company=company)
        if m.membership.id == membership.id
    )
    return render(
        "companies/user_edit.html",
        company=company,
        member_user=user,
        membership=membership,
        form=form,
        status=422 if form.errors else 200,
    )


@bp.post("/<int:membership_id>/remove")
@login_required
def remove(company_id: int, membership_id: int) -> Response:
    """Take a member out of the company."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    membership = members.get_membership(session, company=company, membership_id=membership_id)
    try:
        members.remove_member(session, company=company, membership=membership, actor=current_user)
    except members.MemberError as error:
        session.rollback()
        flash(str(error), "error")
    else:
        session.commit()
        flash(_("Member removed."), "success")
    return redirect(url_for(".index", company_id=company_id), 303)
