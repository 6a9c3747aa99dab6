"""The bank area as the factory mounts it: the blueprint with its pages, API and commands, and
the area's target words for the audit trail (its actions are named in app/reports/trail.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.audit import labels
from app.bank import api, cli, views  # noqa: F401  (each adds its routes or commands to bp)
from app.bank.blueprint import bp

TARGETS = {
    "statement": _l("Bank statement import %(id)s"),
    "settlement": _l("Settlement import %(id)s"),
    "profile": _l("Settlement profile %(id)s"),
}
labels.TARGETS.update(TARGETS)

__all__ = ["bp"]
