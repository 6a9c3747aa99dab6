"""Clearing jobs on the `reconcile` queue: match a company afresh after its closures posted."""

from __future__ import annotations

from app.clearing.service import recompute
from worker.context import session_scope


def recompute_company(company_id: int) -> int:
    """Match the company's takings, settlements and bank entries again; how many days."""
    with session_scope() as session:
        days = len(recompute(session, company_id).days)
        session.commit()
        return days
