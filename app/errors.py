"""Error answers that say what happened and what to do next: a page, an htmx fragment, or JSON."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, jsonify, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l
from flask_htmx import make_response
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.db import utcnow
from app.extensions import htmx
from app.i18n import datetime_, filesize
from app.redirects import same_site
from app.render import render

# status: (title, what happened, what to do next); %(name)s filled in by _params().
TEXTS = {
    400: (
        _l("Bad request"),
        _l("Kassabok could not make sense of what was sent, so nothing was changed."),
        _l("Reload the page and try again."),
    ),
    403: (
        _l("Not allowed"),
        _l("Your role in this company does not allow that."),
        _l("Ask an admin of the company if you need it done."),
    ),
    404: (
        _l("Not found"),
        _l("There is nothing here, or it is not yours to see."),
        _l("Check the address, or start again from your companies."),
    ),
    405: (
        _l("Not available"),
        _l("That action cannot be done this way."),
        _l("Use the buttons on the page rather than typing the address."),
    ),
    413: (
        _l("Too large"),
        _l("What you sent is larger than Kassabok accepts (at most %(limit)s)."),
        _l("Split the file into smaller ones and send them one at a time."),
    ),
    422: (
        _l("Incomplete"),
        _l("What you sent is missing something or is not valid, so nothing was saved."),
        _l("Fill in every required field and send it again."),
    ),
    429: (
        _l("Too many attempts"),
        _l("Kassabok received too many requests from you in a short time."),
        _l("Wait %(wait)s, then try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("Kassabok hit an error it did not expect; nothing was half saved."),
        _l("Try again in a moment. If it recurs, tell your admin it happened at %(time)s."),
    ),
}
CSRF_TEXT = (
    _l("Form expired"),
    _l("The form had expired (or was opened before you signed in again), so nothing was saved."),
    _l("Reload the page and send the form again."),
)


def _signed_in() -> bool:
    """Whether a user is signed in, without failing when the database is what broke."""
    from flask_login import current_user

    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:  # noqa: BLE001 — an error page must render even if the user cannot load
        return False


def _way_on(code: int) -> tuple[str, object]:
    """The link out of the error: the page to reload, the companies, or the sign-in page."""
    referrer = urlsplit(request.referrer or "")
    if code == 400 and referrer.netloc == request.host:
        here = referrer.path + (f"?{referrer.query}" if referrer.query else "")
        if same_site(here):
            return here, _l("Reload the page")
    if _signed_in():
        return url_for("overview.index"), _l("Back to your companies")
    return url_for("auth.login"), _l("Sign in")


def _wait(error: HTTPException | None) -> timedelta:
    """How long a throttled client should wait: the error's Retry-After, else the login window."""
    after = getattr(error, "retry_after", None)
    if isinstance(after, int | float):
        return timedelta(seconds=max(int(after), 1))
    return timedelta(seconds=current_app.config.get("LOGIN_WINDOW_SECONDS", 300))


def wait_text(wait: timedelta) -> str:
    """How long to wait, in the user's words (e.g. '5 minuter')."""
    return format_timedelta(wait, threshold=1.0)


def _params(code: int, error: HTTPException | None) -> dict[str, str]:
    """The values the texts of this status need, formatted for the user's locale."""
    if code == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        return {"limit": filesize(limit)}  # "3 MB", "2,5 MB": as the reader's locale writes it
    if code == 429:
        return {"wait": wait_text(_wait(error))}
    if code >= 500:
        # ISO order for English readers too (2026-10-01 15:04), never the US 10/1/26, 3:04 PM
        return {"time": datetime_(utcnow(), "short")}
    return {}


def _answer(code: int, texts: tuple, error: HTTPException | None = None) -> Response:
    """The error as JSON under /api/, as a fragment for htmx, else as a full page."""
    params = _params(code, error)
    title, what, next_step = (str(t) % params for t in texts)
    if request.path.startswith("/api/"):
        response = jsonify(
            {"message": what, "errors": [{"pointer": "", "message": f"{what} {next_step}"}]}
        )
        response.status_code = code
    else:
        href, label = _way_on(code)
        ctx = {"code": code, "title": title, "message": what, "next_step": next_step}
        ctx.update(href=href, link_label=label)
        if htmx:
            # Boosted or not, into #flash: said here too, as base.html's responseHandling swaps
            # a 422 into the requesting element's own target.
            html = render_template("errors/_message.html", **ctx)
            response = make_response((html, code), retarget="#flash", reswap="innerHTML")
            response.vary.add("HX-Request")
        else:
            response = render("errors/error.html", None, status=code, **ctx)
    if code == 429:
        response.headers["Retry-After"] = str(int(_wait(error).total_seconds()))
    return response


def handle_http(error: HTTPException) -> Response | HTTPException:
    """Any HTTP error (4xx or 5xx) in the user's language."""
    if error.code is None or error.code < 400:
        return error
    texts = TEXTS.get(error.code) or TEXTS[500 if error.code >= 500 else 400]
    return _answer(error.code, texts, error)


def handle_csrf(error: CSRFError) -> Response:
    """A form without a valid CSRF token."""
    return _answer(400, CSRF_TEXT, error)


def handle_crash(error: Exception) -> Response | HTTPException:
    """An unexpected exception: roll back the request's work and say so."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()
    # The error page must not touch the database again: no company navigation.
    g.pop("company", None)
    g.pop("membership", None)
    if isinstance(error, HTTPException) and not isinstance(error, InternalServerError):
        return handle_http(error)
    return _answer(500, TEXTS[500], None)


def register(app: Flask) -> None:
    """Install the handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    # Unhandled exceptions reach this as a 500 (outside tests, which let them propagate).
    app.register_error_handler(InternalServerError, handle_crash)
