"""The clearing area as the factory mounts it: the blueprint with its page and API, and the
audit trail's words for an accountant's match."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.audit import labels
from app.clearing import api, settings_views, views  # noqa: F401  (each adds its routes to bp)
from app.clearing.blueprint import bp

labels.TARGETS.update({"bankentry": _l("Bank entry %(id)s")})

__all__ = ["bp"]
