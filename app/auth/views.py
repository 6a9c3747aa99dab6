"""Sign in (password, then a TOTP code when enabled), sign out, and switch language."""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Blueprint, Response, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_htmx import make_response
from flask_login import current_user, login_user, logout_user

from app.auth import service
from app.auth.forms import CodeForm, LanguageForm, LoginForm
from app.auth.models import User
from app.db import get_session
from app.errors import wait_text
from app.extensions import htmx, login_manager
from app.i18n import LOCALE_COOKIE
from app.redirects import same_site
from app.render import render

bp = Blueprint("auth", __name__, url_prefix="/auth")

login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.session_protection = "strong"


GENERATION = "_generation"  # the session key holding the user's session generation at sign-in
PENDING = "_pending"  # the session key of a sign-in waiting for its TOTP code
PENDING_SECONDS = 300


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user, unless inactive or the session is older than their last sign-out."""
    user = get_session().get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.is_active:
        return None
    return user if session.get(GENERATION) == user.session_generation else None


def start_session(user: User, target: str | None) -> Response:
    """Sign user in on a fresh session, tied to their session generation."""
    session.clear()
    login_user(user)
    session[GENERATION] = user.session_generation
    return redirect(safe_next(target), 303)


@login_manager.unauthorized_handler
def unauthorized() -> Response:
    """Send anonymous visitors to the sign-in page (a full-page redirect under htmx)."""
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if htmx:
        return make_response("", 401, redirect=target)
    return redirect(target)


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
        result = service.authenticate(
            db,
            email=form.email.data or "",
            password=form.password.data or "",
            remote_addr=request.remote_addr or "",
        )
        db.commit()
        if result.user is not None and result.needs_code:
            locale = session.get("locale")
            session.clear()
            if locale:
                session["locale"] = locale
            session[PENDING] = {
                "user": result.user.id,
                "generation": result.user.session_generation,
                "at": int(time.time()),
                "next": form.next.data or "",
            }
            return redirect(url_for("auth.code"), 303)
        if result.user is not None:
            return start_session(result.user, form.next.data)
        status = _refused(result)
    elif request.method == "POST":
        status = 400
    return _waiting(render("auth/login.html", form=form, status=status))


def _waiting(response: Response) -> Response:
    """Tell a throttled client when to come back (Retry-After, seconds)."""
    if response.status_code == 429:
        response.headers["Retry-After"] = str(g.get("login_wait", 1))
    return response


def _refused(result: service.LoginResult) -> int:
    """Flash why a sign-in step failed; the status to answer with."""
    if result.throttled:
        g.login_wait = result.wait
        wait = wait_text(timedelta(seconds=result.wait))
        flash(_("Too many failed attempts. Wait %(wait)s and try again.", wait=wait), "error")
        return 429
    flash(_("Wrong email or password."), "error")
    return 401


def _pending_user() -> User | None:
    """The user whose password was right and whose code is due, within PENDING_SECONDS."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_session().get(User, pending.get("user"))
    if user is None or user.session_generation != pending.get("generation"):
        return None
    return user


@bp.route("/code", methods=["GET", "POST"])
def code() -> Response:
    """The second step of signing in: the code from the user's authenticator app."""
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash(_("Sign in again: the time for the code ran out."), "info")
        return redirect(url_for("auth.login"), 303)
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        db = get_session()
        result = service.check_code(
            db, user=user, code=form.code.data or "", remote_addr=request.remote_addr or ""
        )
        db.commit()
        if result.user is not None:
            return start_session(result.user, session[PENDING].get("next"))
        if result.throttled:
            status = _refused(result)
        else:
            status = 401
            form.code.errors = [_("That code is not right. Type the newest one from your app.")]
    elif request.method == "POST":
        status = 400
    return _waiting(render("auth/code.html", form=form, status=status))


@bp.post("/logout")
def logout() -> Response:
    """End this session and every other one of the user (a copied cookie stops working)."""
    if current_user.is_authenticated:
        db = get_session()
        service.end_sessions(db, user_id=current_user.id)
        db.commit()
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
