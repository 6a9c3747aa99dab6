"""The reports queue's entry point: build one ordered report in a session of its own."""

from __future__ import annotations


def build_report(report_id: int) -> str:
    """Build report report_id (safe to run twice: only a queued report is claimed)."""
    from app.reports.service import run_report
    from worker.tasks import session_scope

    with session_scope() as session:
        report = run_report(session, report_id)
        return report.status if report is not None else "gone"


def nightly_prune(company_id: int) -> int:
    """Delete the company's report PDFs older than the retention period (the nightly run)."""
    from app.reports.retention import prune, retention_days
    from worker.tasks import session_scope

    with session_scope() as session:
        return len(prune(session, days=retention_days(), company_id=company_id))
