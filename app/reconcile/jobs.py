"""Reconcile jobs on the `reconcile` queue: enqueued here, run by worker/jobs/reconcile.py."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from typing import Any

from flask_babel import gettext
from rq import get_current_job
from rq.exceptions import DuplicateJobError
from rq.job import Job, JobStatus
from sqlmodel import Session

from app.posting import reasons
from app.queue import get_queue
from app.reconcile.service import reconcile
from app.reconcile.texts import STATUS_TEXT

RUN_TASK = "worker.jobs.reconcile.reconcile_company"
CELL_TASK = "worker.jobs.reconcile.reconcile_cell"
LIVE = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.STARTED, JobStatus.DEFERRED}


def _progress(step: str, done: int, total: int) -> None:
    """Write where the current job stands into its meta, for the polling partial."""
    job = get_current_job()
    if job is not None:
        job.meta["progress"] = {"step": step, "done": done, "total": total}
        job.save_meta()


def run(session: Session, company_id: int, from_date: date | None, to_date: date | None) -> dict:
    """Reconcile one company over the range, progress in the job's meta; the summary as a dict."""
    summary = reconcile(session, company_id, from_date, to_date, progress=_progress)
    return {
        "text": summary.text(),
        "closures": dict(summary.closures),
        "days": dict(summary.days),
        "requests": summary.requests,
        "error": summary.error,
        "problem": summary.problem,
    }


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
