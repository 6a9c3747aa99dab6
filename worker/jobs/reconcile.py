"""Reconcile jobs on the `reconcile` queue: a company's run and one store-day's check."""

from __future__ import annotations

from datetime import date

from app.reconcile.jobs import run
from app.reconcile.service import reconcile_store_day
from worker.context import session_scope


def _date(value: str | date | None) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def reconcile_company(
    company_id: int, from_date: str | date | None = None, to_date: str | date | None = None
) -> dict:
    """Reconcile one company over the range (the default range when none); its summary."""
    with session_scope() as session:
        return run(session, company_id, _date(from_date), _date(to_date))


def reconcile_cell(company_id: int, store_code: str, day: str) -> str:
    """Read back and check one store-day (after an action on it ran)."""
    with session_scope() as session:
        return reconcile_store_day(session, company_id, store_code, date.fromisoformat(day))
