"""A user's own account: the password (changed, or reset by e-mail) and the daily e-mail."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, current_app, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.security import check_password_hash

from app.auth import resets, service
from app.auth.forms import ChangePasswordForm, ForgotForm, ResetPasswordForm
from app.auth.models import User
from app.auth.scoping import public
from app.auth.views import GENERATION
from app.db import get_session
from app.digest import service as digest_service
from app.digest.forms import DigestForm
from app.queue import get_redis
from app.render import render

bp = Blueprint("account", __name__)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> Response:
    """Change one's password (the current one is asked); every other session ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_session()
        user = db.get(User, current_user.id)
        if user is None or not check_password_hash(user.password_hash, form.current.data or ""):
            form.current.errors = [_("That is not your current password.")]
        else:
            try:
                generation = service.set_password(db, user=user, password=form.new.data or "")
            except service.UserError as error:
                db.rollback()
                form.new.errors = [str(error)]
            else:
                db.commit()
                session[GENERATION] = generation  # this session goes on; the others end
                flash(_("Your password is changed. Other sessions are signed out."), "success")
                return redirect(url_for(".password"), 303)
    return render(
        "auth/password.html",
        form=form,
        status=422 if form.errors else 200,
        user=current_user,
        digest_on=digest_service.is_enabled(get_session(), current_user.id),
    )


def _mail_budget(email: str) -> bool:
    """Whether another reset mail may go to email this hour (PASSWORD_RESET_MAILS)."""
    key = "kassabok:reset-mails:" + hashlib.sha256(email.encode()).hexdigest()[:32]
    redis = get_redis()
    sent = redis.incr(key)
    if sent == 1:
        redis.expire(key, 3600)
    return sent <= int(current_app.config["PASSWORD_RESET_MAILS"])


def send_reset(email: str) -> None:
    """Queue a reset link for email when it is an active user's (within the hourly budget)."""
    user = service.find_user(get_session(), email=email)
    if user is None or not user.is_active or not _mail_budget(user.email):
        return
    resets.queue_link(user.id)  # type: ignore[arg-type]


@bp.post("/account/digest")
@login_required
def digest() -> Response:
    """Turn one's daily e-mail of what needs one on or off (audited)."""
    form = DigestForm()
    if not form.validate_on_submit():
        flash(
            " ".join(str(e) for e in form.enabled.errors) or _("The form expired: try again."),
            "error",
        )
        return redirect(url_for(".password", _anchor="digest"), 303)
    db = get_session()
    user = db.get(User, current_user.id)
    on = form.enabled.data == "on"
    if user is not None and digest_service.set_enabled(db, user=user, enabled=on):
        db.commit()
    if on:
        flash(
            _("The daily e-mail is on: it comes on mornings when something needs you."), "success"
        )
    else:
        flash(_("The daily e-mail is off. Turn it on again here whenever you like."), "info")
    return redirect(url_for(".password", _anchor="digest"), 303)


@bp.route("/account/forgot", methods=["GET", "POST"])
@public
def forgot() -> Response:
    """Ask for a reset link; the answer is the same whether the address is known or not."""
    form = ForgotForm()
    if form.validate_on_submit():
        send_reset(form.email.data or "")
        flash(
            _(
                "If %(email)s belongs to an account, a link to choose a new password is on its "
                "way. It works once, within %(minutes)d minutes.",
                email=service.normalise_email(form.email.data or ""),
                minutes=current_app.config["PASSWORD_RESET_MINUTES"],
            ),
            "info",
        )
        return redirect(url_for("auth.login"), 303)
    return render("auth/forgot.html", form=form, status=400 if form.errors else 200)


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
@public
def reset(token: str) -> Response:
    """Choose a new password through a reset link; every session of the user ends."""
    db = get_session()
    found = resets.find(db, token)
    if found is None:
        return render("auth/reset_invalid.html", status=404)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = resets.redeem(db, token=token, password=form.new.data or "")
        except service.UserError as error:
            db.rollback()
            form.new.errors = [str(error)]
        else:
            if user is None:
                db.rollback()
                return render("auth/reset_invalid.html", status=404)
            db.commit()
            session.clear()
            flash(_("Your password is changed. Sign in with it."), "success")
            return redirect(url_for("auth.login"), 303)
    return render(
        "auth/reset.html", form=form, email=found[1].email, status=422 if form.errors else 200
    )
