"""Attaching jobs on the `reports` queue: one per closure revision, never in the post's way.

The post enqueues its attaching once the voucher is in Fortnox (after_post, which never raises);
the tick's sweep enqueues again whatever Redis lost, a dead worker left, or a failure that is due
another try. The database, not the queue, says what is left to do.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from rq.exceptions import DuplicateJobError
from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.attachments.models import AttachState, ZAttachment
from app.closures.models import Closure, ClosureState
from app.db import utcnow
from app.posting.jobs import drop_dead_job, job_is_live, setting
from app.queue import get_queue

log = logging.getLogger(__name__)
TASK = "worker.jobs.attachments.attach_zreport"
QUEUE = "reports"  # beside PDF work: never behind (nor in front of) a post
SWEEP_LIMIT = 200  # a sweep enqueues at most this many: the rest wait for the next tick


def job_id(closure_pk: int) -> str:
    """One attaching job per closure revision."""
    return f"attach-{closure_pk}"


def enqueue(closure_pk: int, delay: float = 0) -> str:
    """Put the attaching of a closure revision on the queue (a live job of it is the same work)."""
    wanted = job_id(closure_pk)
    drop_dead_job(wanted)
    queue = get_queue(QUEUE)
    options = {"job_id": wanted, "unique": True, "result_ttl": 600, "failure_ttl": 86400}
    try:
        if delay > 0:
            queue.enqueue_in(timedelta(seconds=delay), TASK, closure_pk, **options)
        else:
            queue.enqueue(TASK, closure_pk, **options)
    except DuplicateJobError:
        pass
    return wanted


def after_post(session: Session, closure_pk: int) -> None:
    """After a post: queue its Z-report for the voucher (never raises; the sweeper catches up)."""
    try:
        closure = session.get(Closure, closure_pk)
        if closure is not None and closure.voucher_number is not None:
            enqueue(closure_pk)
    except Exception:
        log.exception("queueing the Z-report of closure %s failed", closure_pk)


def due(session: Session) -> list[int]:
    """Closure revisions whose Z-report is not on the voucher and whose turn it is."""
    now = utcnow()
    grace = now - timedelta(seconds=setting("SWEEP_GRACE_SECONDS", 30))
    started = select(ZAttachment.closure_pk)
    never = select(Closure.id).where(
        Closure.state == ClosureState.POSTED,
        col(Closure.voucher_number).is_not(None),
        col(Closure.posted_at) < grace,
        col(Closure.id).not_in(started),
    )
    stuck = select(ZAttachment.closure_pk).where(
        col(ZAttachment.state).in_((AttachState.PENDING, AttachState.UPLOADED)),
        col(ZAttachment.updated_at) < grace,
        or_(col(ZAttachment.next_at).is_(None), col(ZAttachment.next_at) <= now),
    )
    retry = select(ZAttachment.closure_pk).where(
        ZAttachment.state == AttachState.FAILED, col(ZAttachment.next_at) <= now
    )
    found: list[int] = []
    for query in (never, stuck, retry):
        found += [pk for pk in session.exec(query.limit(SWEEP_LIMIT)).all() if pk is not None]
    return found[:SWEEP_LIMIT]


def sweep(session: Session) -> int:
    """Enqueue every due attaching whose job is not waiting or running already; how many."""
    count = 0
    for closure_pk in due(session):
        if not job_is_live(job_id(closure_pk)):
            enqueue(closure_pk)
            count += 1
    return count
