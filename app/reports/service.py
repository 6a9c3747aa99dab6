"""Order, build, list and hand out audit reports; one live build per identical order."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from rq.exceptions import DuplicateJobError
from rq.job import Job, JobStatus
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.audit.service import record
from app.clearing.holidays import swedish_today
from app.clearing.service import refresh_if_stale
from app.companies.models import Company
from app.db import utcnow
from app.queue import get_queue
from app.reports import files, fingerprint, people
from app.reports.data import Scope
from app.reports.models import Report, ReportStatus
from app.reports.pdf import build_pdf

log = logging.getLogger(__name__)
TASK = "worker.jobs.reports.build_report"
LIVE = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.STARTED, JobStatus.DEFERRED}
# A queued row younger than this may not have reached Redis yet: never call it stale.
GRACE = timedelta(seconds=60)


def longest_end(start: date) -> date:
    """The last day a report from start may cover: a year at the most (1 Jan → 31 Dec)."""
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February: a year later there is none
        return date(start.year + 1, 2, 28)


class DuplicateOrder(Exception):
    """The very same report is already queued or being built."""


@dataclass(frozen=True)
class Order:
    """What someone asks for: company, period, stores (empty = all) and language."""

    company_id: int
    start: date
    end: date
    store_ids: tuple[int, ...] = ()
    language: str = "sv"

    @property
    def key(self) -> str:
        """A stable digest of the order's parameters (not of who asked, nor when)."""
        stores = ",".join(str(s) for s in sorted(set(self.store_ids))) or "all"
        raw = f"{self.company_id}|{self.start}|{self.end}|{stores}|{self.language}"
        return hashlib.sha256(raw.encode()).hexdigest()[:40]

    @property
    def job_id(self) -> str:
        """The RQ job id: the same order twice is the same job."""
        return f"report-{self.key}"


def order_report(
    session: Session,
    *,
    order: Order,
    user: Any = None,
    actor: str = "",
    rebuilds: int | None = None,
) -> Report:
    """Queue a report build and record who asked (and which report it rebuilds, if any).

    DuplicateOrder while the same one is live.
    """
    report = _open(session, order, user, actor, rebuilds)
    try:
        get_queue("reports").enqueue(
            TASK,
            report.id,
            job_id=order.job_id,
            unique=True,
            job_timeout=current_app.config.get("REPORT_JOB_TIMEOUT", 1800),
            result_ttl=0,
            failure_ttl=86400,
        )
    except DuplicateJobError as exc:
        _finish(session, report, ReportStatus.FAILED, error="refused: the same report is running")
        raise DuplicateOrder(order.job_id) from exc
    return report


def build_now(session: Session, *, order: Order, actor: str = "cli") -> Report:
    """Build a report in this process (the command line), refused like an order while one runs."""
    report = _open(session, order, None, actor)
    return run_report(session, report.id or 0) or report


def _open(
    session: Session, order: Order, user: Any, actor: str, rebuilds: int | None = None
) -> Report:
    """Claim the order's key with a new queued report row and record the order."""
    _release_stale(session, order)
    report = Report(
        company_id=order.company_id,
        period_start=order.start,
        period_end=order.end,
        store_ids=sorted(set(order.store_ids)),
        language=order.language,
        active_key=order.key,
        job_id=order.job_id,
        ordered_by=getattr(user, "id", None),
        ordered_by_name=actor or people.person(user) or "system",
    )
    session.add(report)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise DuplicateOrder(order.job_id) from exc
    extra = {"rebuilds": rebuilds} if rebuilds else {}
    _audit(session, report, "report.ordered", user=user, actor=actor, **extra)
    session.commit()
    return report


def rebuild_order(report: Report) -> Order:
    """The order that builds report again over the period's data as it is now."""
    scope = scope_of(report)
    return Order(scope.company_id, scope.start, scope.end, scope.store_ids, report.language)


def _release_stale(session: Session, order: Order) -> None:
    """Refuse while the same order is live; free the key of one whose job died."""
    job = Job.fetch_many([order.job_id], connection=get_queue("reports").connection)[0]
    live = job is not None and job.get_status(refresh=False) in LIVE
    row = session.exec(select(Report).where(Report.active_key == order.key)).first()
    if row is not None and (live or utcnow() - row.created_at < GRACE):
        raise DuplicateOrder(order.job_id)
    if live:
        raise DuplicateOrder(order.job_id)
    if job is not None:
        job.delete()
    if row is not None:
        _finish(session, row, ReportStatus.FAILED, error="interrupted: the build stopped")


def _finish(session: Session, report: Report, status: ReportStatus, error: str = "") -> None:
    """Close a report's build: its key is freed for the next identical order."""
    report.status = status
    report.error = error[:2000]
    report.active_key = None
    report.finished_at = utcnow()
    session.add(report)
    session.commit()


def run_report(session: Session, report_id: int) -> Report | None:
    """Build an ordered report once (a second run of the same job does nothing)."""
    claimed = session.execute(
        update(Report)
        .where(col(Report.id) == report_id, col(Report.status) == ReportStatus.QUEUED)
        .values(status=ReportStatus.RUNNING, progress=1, stage="starting")
    )
    session.commit()
    report = session.get(Report, report_id)
    if report is None or claimed.rowcount != 1:  # type: ignore[attr-defined]
        return report
    company = session.get(Company, report.company_id)
    # A day turns from in transit to late with the calendar alone: the PDF shows the clearing
    # accounts as of the day it is built, as the page and the API do.
    refresh_if_stale(session, report.company_id, swedish_today())
    try:
        built = build_pdf(
            session,
            company=company,  # type: ignore[arg-type]
            scope=scope_of(report),
            language=report.language,
            ordered_by=people.who_asked(session, report),
            ordered_at=report.created_at,
            progress=lambda pct, stage: _progress(session, report_id, pct, stage),
        )
        report.filename = files.store(report, built.pdf, built.fingerprint)
    except Exception as exc:
        log.exception("report %s failed", report_id)
        session.rollback()
        _finish(session, report, ReportStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    report.fingerprint, report.size, report.progress = built.fingerprint, len(built.pdf), 100
    _audit(session, report, "report.built", actor="worker", pages=built.pages)
    _finish(session, report, ReportStatus.DONE)
    return report


def scope_of(report: Report) -> Scope:
    """The data a report covers."""
    stores = tuple(int(s) for s in report.store_ids or ())
    return Scope(report.company_id, report.period_start, report.period_end, stores)


def _progress(session: Session, report_id: int, pct: int, stage: str) -> None:
    """Save how far the build is, for the polling progress bar (and in the RQ job's meta)."""
    session.execute(
        update(Report).where(col(Report.id) == report_id).values(progress=pct, stage=stage)
    )
    session.commit()
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.meta.update(progress=pct, stage=stage)
        job.save_meta()


def out_of_date(session: Session, orgnr: str, reports: list[Report]) -> set[int]:
    """The built reports whose period's data no longer has the fingerprint they were built on."""
    built = [
        (r.id or 0, scope_of(r), r.fingerprint)
        for r in reports
        if r.status == ReportStatus.DONE and r.fingerprint
    ]
    return fingerprint.changed(session, orgnr, built)


def list_reports(session: Session, company_id: int, limit: int = 100) -> list[Report]:
    """The company's reports, newest first."""
    query = select(Report).where(Report.company_id == company_id)
    return list(session.exec(query.order_by(col(Report.id).desc()).limit(limit)).all())


def get_report(session: Session, company_id: int, report_id: int) -> Report | None:
    """One report of the company, or None."""
    report = session.get(Report, report_id)
    return report if report is not None and report.company_id == company_id else None


def download(session: Session, report: Report, user: Any) -> Path | None:
    """The file of a finished report, its download recorded on the audit trail (caller commits)."""
    if report.status != ReportStatus.DONE or not report.filename:
        return None
    path = files.reports_dir() / report.filename
    if not path.is_file():
        return None
    _audit(session, report, "report.downloaded", user=user)
    return path


def _audit(session: Session, report: Report, action: str, **kw: Any) -> None:
    """An audit event about a report."""
    user, actor = kw.pop("user", None), kw.pop("actor", None) or None
    detail = {
        "report": report.id,
        "period": f"{report.period_start}/{report.period_end}",
        "stores": report.store_ids or "all",
        "language": report.language,
        **({"fingerprint": report.fingerprint} if report.fingerprint else {}),
        **kw,
    }
    target = f"report:{report.id}"
    record(
        session,
        action=action,
        company_id=report.company_id,
        user=user,
        actor=actor,
        target=target,
        detail=detail,
    )
