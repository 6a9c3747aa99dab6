"""Report jobs: build one ordered report, prune a company's old report PDFs."""

from __future__ import annotations

from app.reports.retention import prune, retention_days
from app.reports.service import run_report
from worker.context import session_scope


def build_report(report_id: int) -> str:
    """Build report report_id (safe to run twice: only a queued report is claimed)."""
    with session_scope() as session:
        report = run_report(session, report_id)
        return report.status if report is not None else "gone"


def nightly_prune(company_id: int) -> int:
    """Delete the company's report PDFs older than the retention period (the nightly run)."""
    with session_scope() as session:
        return len(prune(session, days=retention_days(), company_id=company_id))
