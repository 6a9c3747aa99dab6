"""Fortnox jobs for the worker: they take ids and open their own app context."""

from __future__ import annotations

import os

from flask import Flask, current_app, has_app_context

_apps: dict[str, Flask] = {}


def _app() -> Flask:
    """The current app, or one built from the environment (DATABASE_URL, REDIS_URL)."""
    if has_app_context() and current_app.config.get("DATABASE_URL") == os.environ.get(
        "DATABASE_URL", current_app.config.get("DATABASE_URL")
    ):
        return current_app._get_current_object()  # type: ignore[attr-defined]
    key = os.environ.get("DATABASE_URL", "")
    if key not in _apps:
        from app import create_app

        _apps[key] = create_app()
    return _apps[key]


def nightly_preflight(company_id: int) -> dict:
    """Re-run and store one company's pre-flight checks; a summary for the job's result."""
    from app.fortnox.preflight import run_and_store

    with _app().app_context():
        checks = run_and_store(company_id)
        return {
            "company_id": company_id,
            "ok": bool(checks) and all(c.ok for c in checks),
            "failing": [c.key for c in checks if not c.ok],
        }
