"""Posting jobs on the sync queue: ids derived from the closure revision, enqueued after commit."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import current_app
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.executions import ExecutionRegistry
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from app.closures.models import Closure
from app.queue import enqueue_fair, get_queue

log = logging.getLogger(__name__)
POST_TASK = "worker.tasks.post_closure"
CORRECT_TASK = "worker.tasks.correct_closure"
LIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED}  # scheduled: only until overdue
_PENDING = "kassabok_after_commit"


def setting(name: str, default: float) -> float:
    """A posting knob: app config, else KASSABOK_<name> in the environment, else default."""
    value = current_app.config.get(name) or os.environ.get(f"KASSABOK_{name}")
    return float(value) if value not in (None, "") else default


def post_job_id(closure_pk: int, version: int) -> str:
    """One job per closure and queued version: a second enqueue of the same one is refused."""
    return f"post-{closure_pk}-v{version}"


def fair() -> bool:
    """True when post jobs wait in their company's line (FAIR_QUEUES; on unless testing)."""
    value = current_app.config.get("FAIR_QUEUES", os.environ.get("KASSABOK_FAIR_QUEUES"))
    if value in (None, ""):
        return not current_app.testing
    return str(value).lower() not in ("0", "false", "no", "off")


def enqueue_post(closure: Closure, delay: float = 0) -> str:
    """Put the post of a queued closure on the sync queue now, or after delay seconds."""
    job_id = post_job_id(closure.id or 0, closure.state_version)
    return enqueue_unique(POST_TASK, job_id, closure.id, delay=delay, company=closure.company_id)


def enqueue_unique(
    func: str, job_id: str, *args: object, delay: float = 0, company: int | None = None
) -> str:
    """Enqueue func once under job_id; a live job of that id is the same work, so fine.

    With a company (and FAIR_QUEUES on) the job waits in that company's line; a delayed one
    waits in the sync queue's schedule and, when due, in the shared sync list.
    """
    queue = get_queue("sync")
    drop_dead_job(job_id)  # a finished or failed run must not block the next one
    options = {
        "job_id": job_id,
        "unique": True,
        "result_ttl": 600,
        "failure_ttl": 7 * 86400,
        "job_timeout": int(setting("POSTING_JOB_TIMEOUT", 900)),
    }
    try:
        if delay > 0:
            queue.enqueue_in(timedelta(seconds=delay), func, *args, **options)
        elif company is not None and fair():
            enqueue_fair(queue, company, func, *args, **options)
        else:
            queue.enqueue(func, *args, **options)
    except DuplicateJobError:
        log.info("job %s already exists", job_id)
    return job_id


def job_is_live(job_id: str) -> bool:
    """True when Redis holds the job and it will still run: waiting, running or not yet overdue."""
    job = _fetch(job_id)
    return job is not None and _will_run(job)


def drop_dead_job(job_id: str) -> None:
    """Forget a finished, failed, overdue or half-written job so its id can be enqueued again."""
    connection = get_queue("sync").connection
    try:
        job = Job.fetch_many([job_id], connection=connection)[0]
    except NoSuchJobError:  # a hash a horse wrote back after FLUSHALL: no data, never runs
        connection.delete(Job.key_for(job_id))
        return
    if job is not None and not _will_run(job):
        try:
            job.delete()
        except ValueError:  # rq lost one of the job's executions (it expired): drop the hash
            connection.delete(job.key, ExecutionRegistry(job_id, connection=connection).key)


def _fetch(job_id: str) -> Job | None:
    try:
        return Job.fetch_many([job_id], connection=get_queue("sync").connection)[0]
    except NoSuchJobError:
        return None


def _will_run(job: Job) -> bool:
    status = job.get_status(refresh=False)
    if status == JobStatus.SCHEDULED:
        return not _overdue(job)
    return status in LIVE


def _overdue(job: Job) -> bool:
    """A scheduled job this long past its time has no scheduler moving it (dead, or flushed)."""
    registry = ScheduledJobRegistry(job.origin, connection=job.connection)
    try:
        at = registry.get_scheduled_time(job)
    except NoSuchJobError:  # in no registry: nothing will ever enqueue it
        return True
    grace = timedelta(seconds=setting("SWEEP_GRACE_SECONDS", 30))
    return datetime.now(UTC) - at > grace


def after_commit(session: OrmSession, action: Callable[[], object]) -> None:
    """Run action once session's transaction commits; drop it if the transaction rolls back."""
    session.info.setdefault(_PENDING, []).append(action)


def enqueue_post_after_commit(session: OrmSession, closure: Closure) -> None:
    """Enqueue the closure's post when the transaction that queued it commits."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    version = closure.state_version
    pk, company = closure.id or 0, closure.company_id

    def run() -> None:
        with app.app_context():
            enqueue_unique(POST_TASK, post_job_id(pk, version), pk, company=company)

    after_commit(session, run)


@event.listens_for(OrmSession, "after_commit")
def _run_pending(session: OrmSession) -> None:
    for action in session.info.pop(_PENDING, []):
        try:
            action()
        except Exception:  # Redis down: the sweeper re-enqueues from the database
            log.exception("enqueue after commit failed")


@event.listens_for(OrmSession, "after_rollback")
def _drop_pending(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)
