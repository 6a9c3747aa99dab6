"""The bank area's blueprint; its pages, API and commands join it (app/bank/routes.py)."""

from __future__ import annotations

from flask import Blueprint

# No URL prefix: the pages live under /c/<company_id>/bank, the API under /api/v1/.
# No command group of its own: `flask bank …` and `flask settlements …` are its two groups.
bp = Blueprint("bank", __name__, cli_group=None)
