"""The connection-health badge every company page shows, as a template function."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, g

from app.db import get_session
from app.fortnox import tokens


@dataclass(frozen=True)
class Health:
    """The company's Fortnox connection at a glance."""

    state: str  # ok | warn | lost | none
    fortnox_name: str = ""
    reason: str = ""
    failing: int = 0  # red pre-flight lines
    checked_at: datetime | None = None
    mismatch: dict[str, Any] = field(default_factory=dict)  # the red orgnr line's facts


def fortnox_health(company: object | None = None) -> Health | None:
    """The health of company (default: the company on `g`), None outside a company."""
    company = company if company is not None else g.get("company")
    company_id = getattr(company, "id", None)
    if company_id is None:
        return None
    conn = tokens.connection(get_session(), company_id)
    if conn is None or conn.status == tokens.DISCONNECTED:
        return Health("none")
    if conn.status == tokens.LOST:
        return Health("lost", conn.fortnox_name, conn.lost_reason)
    red = [c for c in conn.preflight or [] if not c.get("ok")]
    mismatch = next((c.get("params") or {} for c in red if c.get("kind") == "orgnr"), {})
    return Health(
        "warn" if red else "ok",
        conn.fortnox_name,
        failing=len(red),
        checked_at=conn.preflight_at,
        mismatch=mismatch,
    )


def init_app(app: Flask) -> None:
    """Offer fortnox_health to every template."""
    app.jinja_env.globals.update(fortnox_health=fortnox_health)
