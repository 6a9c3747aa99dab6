"""The clearing area's blueprint; its page and API join it (app/clearing/routes.py)."""

from __future__ import annotations

from flask import Blueprint

# No URL prefix: the page lives under /c/<company_id>/clearing, the API under /api/v1/.
bp = Blueprint("clearing", __name__)
