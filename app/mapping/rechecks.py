"""After a mapping or settings change: refresh pre-flight, re-check held closures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session


def _refresh_preflight() -> Callable[..., Any] | None:
    """The Fortnox area's pre-flight refresh, wherever it lives (None until it exists)."""
    try:
        from app.fortnox.preflight import refresh_preflight
    except ImportError:
        try:
            from app.fortnox.service import refresh_preflight
        except ImportError:
            return None
    return refresh_preflight


def _recheck_holds() -> Callable[..., Any] | None:
    """The posting area's re-check of held closures (None until it exists)."""
    try:
        from app.posting.service import recheck_holds
    except ImportError:
        return None
    return recheck_holds


def after_change(session: Session, company_id: int) -> list[str]:
    """Refresh pre-flight and re-check holds for company; the names of the hooks that ran."""
    ran = []
    for name, hook in (("preflight", _refresh_preflight()), ("holds", _recheck_holds())):
        if hook is not None:
            hook(session, company_id)
            ran.append(name)
    return ran
