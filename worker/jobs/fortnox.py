"""Fortnox jobs: the nightly pre-flight of one company."""

from __future__ import annotations

from app.fortnox.preflight import run_and_store
from worker.context import app


def nightly_preflight(company_id: int) -> dict:
    """Re-run and store one company's pre-flight checks; a summary for the job's result."""
    with app().app_context():  # the checks open a session of their own
        checks = run_and_store(company_id)
        return {
            "company_id": company_id,
            "ok": bool(checks) and all(c.ok for c in checks),
            "failing": [c.key for c in checks if not c.ok],
        }
