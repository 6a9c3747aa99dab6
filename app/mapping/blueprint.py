"""The mapping area's blueprint: its pages, its file import/export and its CLI all join it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("mapping", __name__, url_prefix="/c/<int:company_id>/mapping")
