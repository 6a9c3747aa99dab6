"""The audit area's blueprint: its pages (views) and its export (export) both join it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/c/<int:company_id>/audit")
