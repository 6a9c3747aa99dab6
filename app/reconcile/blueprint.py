"""The dashboard's blueprint: its board, panel forms, actions, bulk, exports and API all join it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__)
BASE = "/c/<int:company_id>/dashboard"
