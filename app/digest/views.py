"""The demo's "Mail caught" pages: what `make run`'s catcher received, for an admin to read.

They exist only while MAIL_CATCHER_DIR is set (the demo); elsewhere they answer 404.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, make_response, url_for
from flask_login import current_user, login_required
from sqlmodel import select

from app.auth.models import Membership, Role
from app.db import get_session
from app.digest import caught
from app.render import render

bp = Blueprint("digest", __name__, url_prefix="/mail")
# The caught HTML part is shown as sent: its inline styles allowed, nothing else (no script).
MAIL_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def catcher_dir() -> Path | None:
    """The catcher's folder when the demo runs one, else None."""
    folder = current_app.config.get("MAIL_CATCHER_DIR")
    return Path(folder) if folder else None


def _is_admin() -> bool:
    """Whether the signed-in user is an admin of any company."""
    if not getattr(current_user, "is_authenticated", False):
        return False
    query = select(Membership.id).where(
        Membership.user_id == current_user.id, Membership.role == Role.ADMIN
    )
    return get_session().exec(query).first() is not None


def _folder() -> Path:
    """The catcher's folder for an admin; 404 without a catcher, 403 for anyone else."""
    folder = catcher_dir()
    if folder is None:
        abort(404)
    if not _is_admin():
        abort(403)
    return folder


@bp.app_context_processor
def caught_mail_link() -> dict[str, Any]:
    """Where an admin reads the demo's caught mail (only while a catcher runs)."""
    if catcher_dir() is None or not _is_admin():
        return {}
    return {"caught_mail_url": url_for("digest.caught_list")}


@bp.get("/caught")
@login_required
def caught_list() -> Response:
    """Every message the catcher kept, newest first."""
    folder = _folder()
    return render("digest/caught.html", mails=caught.listing(folder), folder=folder)


@bp.get("/caught/<name>")
@login_required
def caught_one(name: str) -> Response:
    """One caught message: its headers and plain text, with a link to its HTML part."""
    found = caught.one(_folder(), name)
    if found is None:
        abort(404)
    return render("digest/caught_one.html", mail=found)


@bp.get("/caught/<name>/html")
@login_required
def caught_html(name: str) -> Response:
    """The HTML part of one caught message, as a mail reader would show it."""
    found = caught.one(_folder(), name)
    if found is None or not found.html:
        abort(404)
    response = make_response(found.html)
    response.headers["Content-Security-Policy"] = MAIL_CSP
    return response
