"""The agency overview: every company the user holds."""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from flask_login import current_user, login_required

from app.companies.forms import ROLE_LABELS
from app.db import get_session
from app.overview.service import overview_rows
from app.render import render

bp = Blueprint("overview", __name__)


@bp.get("/")
@login_required
def index() -> Response:
    """List the user's companies with health, last posted day and counts."""
    rows = overview_rows(get_session(), current_user)
    # With the reconcile area: each row links to its dashboard and shows the last matched day.
    has_matched = "dashboard.index" in current_app.view_functions
    return render("overview/index.html", rows=rows, roles=ROLE_LABELS, has_matched=has_matched)
