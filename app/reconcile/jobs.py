"""Reconcile jobs on the `reconcile` queue: a company's run and one cell, progress in job.meta."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from typing import Any

from rq import get_current_job
from rq.exceptions import DuplicateJobError
from rq.job import Job, JobStatus

from app.queue import get_queue

RUN_TASK = "app.reconcile.jobs.reconcile_company"
CELL_TASK = "app.reconcile.jobs.reconcile_cell"
LIVE = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.STARTED, JobStatus.DEFERRED}


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _progress(step: str, done: int, total: int) -> None:
    """Write where the current job stands into its meta, for the polling partial."""
    job = get_current_job()
    if job is not None:
        job.meta["progress"] = {"step": step, "done": done, "total": total}
        job.save_meta()


def reconcile_company(
    company_id: int, from_date: str | date | None = None, to_date: str | date | None = None
) -> dict:
    """Reconcile one company now (own app context and session); the summary as a dict."""
    from app.reconcile.service import reconcile
    from worker.tasks import session_scope

    with session_scope() as session:
        summary = reconcile(
            session, company_id, _date(from_date), _date(to_date), progress=_progress
        )
        return {
            "text": summary.text(),
            "closures": dict(summary.closures),
            "days": dict(summary.days),
            "requests": summary.requests,
            "error": summary.error,
            "problem": summary.problem,
        }


def nightly_reconcile(company_id: int) -> dict:
    """The nightly run for one company over the default range (the worker's nightly calls it)."""
    return reconcile_company(company_id)


def reconcile_cell(company_id: int, store_code: str, day: str) -> str:
    """Read back and check one store-day (after an action on it ran)."""
    from app.reconcile.service import reconcile_store_day
    from worker.tasks import session_scope

    with session_scope() as session:
        return reconcile_store_day(session, company_id, store_code, date.fromisoformat(day))


def _enqueue(func: str, job_id: str, *args: Any) -> str:
    """Enqueue func once under job_id; a live job of that id is the same work."""
    queue = get_queue("reconcile")
    old = Job.fetch_many([job_id], connection=queue.connection)[0]
    if old is not None and old.get_status(refresh=False) not in LIVE:
        old.delete()  # a finished run must not block the next one
    with suppress(DuplicateJobError):
        queue.enqueue(func, *args, job_id=job_id, unique=True, result_ttl=3600, job_timeout=3600)
    return job_id


def enqueue_run(company_id: int, from_date: date, to_date: date) -> str:
    """Put a run for the range on the reconcile queue; its job id."""
    job_id = f"reconcile-{company_id}-{from_date:%Y%m%d}-{to_date:%Y%m%d}"
    return _enqueue(RUN_TASK, job_id, company_id, from_date.isoformat(), to_date.isoformat())


def enqueue_cell(company_id: int, store_code: str, day: date) -> str:
    """Put a check of one store-day on the reconcile queue; its job id."""
    job_id = cell_job_id(company_id, store_code, day)
    return _enqueue(CELL_TASK, job_id, company_id, store_code, day.isoformat())


def cell_job_id(company_id: int, store_code: str, day: date) -> str:
    """The job id of a store-day's check."""
    return f"reconcile-cell-{company_id}-{store_code}-{day:%Y%m%d}"


def in_words(result: Any) -> Any:
    """A run's result with its line in the reader's language (the worker wrote it in English)."""
    from flask_babel import gettext

    from app.posting import reasons
    from app.reconcile.texts import STATUS_TEXT

    if not isinstance(result, dict) or not isinstance(result.get("closures"), dict):
        return result
    counts = ", ".join(
        f"{STATUS_TEXT[k][0] if k in STATUS_TEXT else k} {n}"
        for k, n in sorted(result["closures"].items())
    )
    n = result.get("requests", 0)
    text = gettext("Closures: %(counts)s; %(n)s requests to Fortnox.", counts=counts or "—", n=n)
    why = reasons.words(result["problem"]) if result.get("problem") else result.get("error")
    if why:
        text += " " + gettext("Fortnox not read: %(why)s", why=why)
    return {**result, "text": text}


def job_state(job_id: str) -> dict:
    """A job's status, progress and result, as the polling partial shows them."""
    job = Job.fetch_many([job_id], connection=get_queue("reconcile").connection)[0]
    if job is None:
        return {"status": "gone", "live": False, "progress": {}, "result": None}
    status = job.get_status(refresh=False)
    return {
        "status": getattr(status, "value", str(status)),
        "live": status in LIVE,
        "progress": job.meta.get("progress") or {},
        "result": in_words(job.return_value()) if status == JobStatus.FINISHED else None,
        "error": (job.latest_result().exc_string or "")[-500:]
        if status == JobStatus.FAILED and job.latest_result()
        else "",
    }
