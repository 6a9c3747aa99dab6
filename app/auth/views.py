"""Sign in, sign out, and switch language."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from flask import Blueprint, Response, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_htmx import make_response
from flask_login import current_user, login_user, logout_user

from app.auth import service
from app.auth.forms import LanguageForm, LoginForm
from app.auth.models import User
from app.db import get_session
from app.errors import wait_text
from app.extensions import htmx, login_manager
from app.i18n import LOCALE_COOKIE
from app.render import render

bp = Blueprint("auth", __name__, url_prefix="/auth")

login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user from the session cookie (inactive users are signed out)."""
    user = get_session().get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None


@login_manager.unauthorized_handler
def unauthorized() -> Response:
    """Send anonymous visitors to the sign-in page (a full-page redirect under htmx)."""
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if htmx:
        return make_response("", 401, redirect=target)
    return redirect(target)


def _sneaky(text: str) -> bool:
    """True when text holds a character browsers drop or read as "/" (WHATWG URL parsing)."""
    return any(c < " " or c in "\\\x7f" for c in text)


def same_site(target: str) -> bool:
    """True for a path on this site that no browser could read as another host or scheme."""
    decoded = target
    for _round in range(3):  # undo double encoding such as /%252F%252Fevil
        decoded = unquote(decoded)
    path = re.split(r"[?#]", decoded, maxsplit=1)[0]
    if _sneaky(target) or _sneaky(path) or not path.startswith("/") or path[1:2] == "/":
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None) -> str:
    """target when it is a path on this site, else the overview."""
    return target if target and same_site(target) else url_for("overview.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response:
    """Show the sign-in form; check it and start a session."""
    if current_user.is_authenticated:
        return redirect(url_for("overview.index"))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        db = get_session()
        cfg = current_app.config
        result = service.authenticate(
            db,
            email=form.email.data or "",
            password=form.password.data or "",
            remote_addr=request.remote_addr or "",
            limit=cfg["LOGIN_MAX_ATTEMPTS"],
            window=cfg["LOGIN_WINDOW_SECONDS"],
        )
        db.commit()
        if result.user is not None:
            session.clear()
            login_user(result.user)
            return redirect(safe_next(form.next.data), 303)
        if result.throttled:
            status = 429
            wait = wait_text(timedelta(seconds=cfg["LOGIN_WINDOW_SECONDS"]))
            flash(_("Too many failed attempts. Wait %(wait)s and try again.", wait=wait), "error")
        else:
            status = 401
            flash(_("Wrong email or password."), "error")
    elif request.method == "POST":
        status = 400
    return render("auth/login.html", form=form, status=status)


@bp.post("/logout")
def logout() -> Response:
    """End the session."""
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"), 303)


@bp.post("/language")
def language() -> Response:
    """Switch language for this visitor and, when signed in, for the user."""
    form = LanguageForm()
    if not form.validate_on_submit():
        return redirect(safe_next(request.form.get("next")), 303)
    locale = form.locale.data or "sv"
    session["locale"] = locale
    if current_user.is_authenticated:
        db = get_session()
        service.set_locale(db, user=db.get(User, current_user.id), locale=locale)
        db.commit()
    response = redirect(safe_next(form.next.data), 303)
    response.set_cookie(
        LOCALE_COOKIE,
        locale,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
    )
    return response
