"""Two-factor sign-in: set it up, turn it off, and an admin's switch to require it."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_htmx import make_response
from flask_login import current_user, login_required
from werkzeug.security import check_password_hash

from app.audit.service import record
from app.auth import totp
from app.auth.forms import CodeForm, RequireTotpForm, TotpOffForm
from app.auth.models import User
from app.auth.scoping import ADMINS, company_for
from app.crypto import decrypt, encrypt
from app.db import get_session
from app.extensions import htmx
from app.render import render

bp = Blueprint("twofactor", __name__)
PENDING_SECRET = "_totp_pending"  # the secret being set up, encrypted, until a code confirms it
# What a member whose company requires two factors may still open before setting it up.
_OPEN = {"twofactor.setup", "auth.logout", "auth.language", "auth.login", "static"}


@bp.before_app_request
def require_setup() -> Response | None:
    """Send a member of a company that requires two factors to set them up first."""
    if request.endpoint in _OPEN or not current_user.is_authenticated:
        return None
    if current_user.totp_enabled or not totp.required_for(get_session(), current_user):
        return None
    target = url_for("twofactor.setup")
    if htmx:
        return make_response("", 401, redirect=target)
    return redirect(target, 303 if request.method != "GET" else 302)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def setup() -> Response:
    """Show a new secret (QR code and text) once; a code from the app turns it on."""
    if current_user.totp_enabled:
        return redirect(url_for("account.password"))
    form = CodeForm()
    stored = session.get(PENDING_SECRET)
    if request.method == "GET" or not stored:
        secret = totp.new_secret()
        session[PENDING_SECRET] = encrypt(secret)
    else:
        secret = decrypt(stored)
    if form.validate_on_submit():
        db = get_session()
        user = db.get(User, current_user.id)
        if user is not None and totp.enable(
            db, user=user, secret=secret, code=form.code.data or ""
        ):
            db.commit()
            session.pop(PENDING_SECRET, None)
            flash(_("Two-factor sign-in is on."), "success")
            return redirect(url_for("account.password"), 303)
        form.code.errors = [_("That code is not right. Type the newest one from your app.")]
    uri = totp.uri(secret, current_user.email)
    return render(
        "auth/totp_setup.html",
        form=form,
        secret=secret,
        qr=totp.qr_data_uri(uri),
        uri=uri,
        required=totp.required_for(get_session(), current_user),
        status=422 if form.errors else 200,
    )


@bp.route("/account/two-factor/off", methods=["GET", "POST"])
@login_required
def off() -> Response:
    """Turn two-factor sign-in off with the password, unless a company requires it."""
    db = get_session()
    if totp.required_for(db, current_user):
        flash(_("A company you belong to requires two-factor sign-in."), "error")
        return redirect(url_for("account.password"), 303)
    form = TotpOffForm()
    if form.validate_on_submit():
        user = db.get(User, current_user.id)
        if user is not None and check_password_hash(user.password_hash, form.password.data or ""):
            totp.disable(db, user=user)
            db.commit()
            flash(_("Two-factor sign-in is off."), "info")
            return redirect(url_for("account.password"), 303)
        form.password.errors = [_("That is not your current password.")]
    return render("auth/totp_off.html", form=form, status=422 if form.errors else 200)


@bp.post("/c/<int:company_id>/two-factor")
@login_required
def company(company_id: int) -> Response:
    """An admin requires (or stops requiring) two-factor sign-in of every member."""
    db = get_session()
    found = company_for(db, current_user, company_id, *ADMINS)
    form = RequireTotpForm()
    if form.validate_on_submit() and bool(form.require.data) != found.require_totp:
        before = found.require_totp
        found.require_totp = not before
        db.add(found)
        record(
            db,
            action="settings.changed",
            company_id=found.id,
            user=current_user,
            target=f"company {found.orgnr}",
            detail={"before": {"require_totp": before}, "after": {"require_totp": not before}},
        )
        db.commit()
        if found.require_totp:
            flash(_("Everyone must now sign in with a code as well."), "success")
        else:
            flash(_("Two-factor sign-in is now up to each person."), "info")
    return redirect(url_for("people.index", company_id=company_id), 303)
