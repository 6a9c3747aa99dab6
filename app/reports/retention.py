"""Report retention: PDFs past the retention period are deleted; rows and fingerprints stay."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlmodel import Session, col, select

from app.audit.service import record
from app.db import utcnow
from app.reports import files
from app.reports.models import Report, ReportStatus

log = logging.getLogger(__name__)


def retention_days() -> int:
    """How many days a built report's PDF is kept (REPORT_RETENTION_DAYS)."""
    return int(current_app.config.get("REPORT_RETENTION_DAYS", 365))


def due(
    session: Session, *, days: int, company_id: int | None = None, now: datetime | None = None
) -> list[Report]:
    """Finished reports whose PDF is older than days, oldest first."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    query = select(Report).where(
        Report.status == ReportStatus.DONE, col(Report.finished_at) < cutoff
    )
    if company_id is not None:
        query = query.where(Report.company_id == company_id)
    return list(session.exec(query.order_by(col(Report.finished_at))).all())


def prune(
    session: Session, *, days: int, company_id: int | None = None, now: datetime | None = None
) -> list[Report]:
    """Delete the PDFs of the reports due; each keeps its row, fingerprint and an audit event."""
    pruned = []
    for report in due(session, days=days, company_id=company_id, now=now):
        name = report.filename
        if name:
            # Delete first: should the commit fail, the next run finds the row again.
            (files.reports_dir() / name).unlink(missing_ok=True)
        report.status = ReportStatus.EXPIRED
        report.filename = ""
        session.add(report)
        record(
            session,
            action="report.file_deleted",
            company_id=report.company_id,
            actor="retention",
            target=f"report:{report.id}",
            detail={"report": report.id, "file": name, "fingerprint": report.fingerprint},
        )
        session.commit()
        log.info("report %s: PDF deleted after %s days", report.id, days)
        pruned.append(report)
    return pruned
