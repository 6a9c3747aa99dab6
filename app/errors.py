"""Friendly error pages (and fragments for htmx), with a rollback after a crash."""

from __future__ import annotations

from flask import Flask, g
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import htmx
from app.render import render

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Reload the page and try again."),
    ),
    403: (_l("Not allowed"), _l("Your role in this company does not allow that.")),
    404: (_l("Not found"), _l("There is nothing here, or it is not yours to see.")),
    405: (_l("Not allowed"), _l("That action is not available here.")),
    413: (_l("Too large"), _l("What you sent is larger than Kassabok accepts.")),
    429: (_l("Too many attempts"), _l("Wait a few minutes before you try again.")),
    500: (_l("Something went wrong"), _l("The error was logged. Try again in a moment.")),
}


def _page(code: int, title: object | None = None, message: object | None = None):
    """The error page, or just its message box for htmx."""
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    ctx = {"code": code, "title": title or default_title, "message": message or default_message}
    response = render("errors/error.html", "errors/_message.html", status=code, **ctx)
    if htmx:
        # htmx ignores 4xx/5xx bodies by default; static/js/kassabok.js swaps them into #flash.
        response.vary.add("HX-Request")
    return response


def handle_http(error: HTTPException):
    """Any HTTP error as a page in the portal's layout."""
    if error.code is None or error.code < 400:
        return error
    return _page(error.code)


def handle_csrf(error: CSRFError):
    """A form without a valid CSRF token."""
    return _page(
        400, _l("Form expired"), _l("The form had expired. Reload the page and try again.")
    )


def handle_crash(error: Exception):
    """An unexpected exception: roll back the request's work and say so."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()
    # The error page must not touch the database again: no company navigation.
    g.pop("company", None)
    g.pop("membership", None)
    if isinstance(error, HTTPException):
        return handle_http(error)
    return _page(500)


def register(app: Flask) -> None:
    """Install the handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    # Unhandled exceptions reach this as a 500 (outside tests, which let them propagate).
    app.register_error_handler(InternalServerError, handle_crash)
