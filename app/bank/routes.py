"""The bank area as the factory mounts it: the blueprint with its pages, API and commands, and
the area's words for the audit trail (which the trail's reader, above this area, shows)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.audit import labels
from app.bank import api, cli, views  # noqa: F401  (each adds its routes or commands to bp)
from app.bank.blueprint import bp
from app.reports import trail

ACTIONS = {
    "bank.statement_imported": trail.N_("bank statement imported"),
    "bank.statement_refused": trail.N_("bank statement refused"),
    "bank.settlement_imported": trail.N_("settlement report imported"),
    "bank.settlement_refused": trail.N_("settlement report refused"),
    "bank.profile_saved": trail.N_("settlement profile saved"),
}
TARGETS = {
    "statement": _l("Bank statement import %(id)s"),
    "settlement": _l("Settlement import %(id)s"),
    "profile": _l("Settlement profile %(id)s"),
}
trail.ACTIONS.update(ACTIONS)
labels.TARGETS.update(TARGETS)

__all__ = ["bp"]
