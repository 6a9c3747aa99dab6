"""The digest's queue work: a day's job per member, and the sending of one (worker/jobs/digest)."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from rq import Retry
from rq.exceptions import DuplicateJobError
from sqlmodel import Session

from app.auth.models import User
from app.digest.service import recipients, send, today
from app.queue import get_queue

QUEUE = "reconcile"  # after the night's checks, beside them; never in front of a post
KEEP = 2 * 86400  # seconds a day's job ids stay taken (and its results readable)
SEND_TASK = "worker.jobs.digest.send_one"


def enqueue_day(session: Session, day: date | None = None) -> int:
    """Enqueue the digest of every member for day (today when not given): how many."""
    when = (day or today()).isoformat()
    ids = [user.id for user in recipients(session)]
    queue = get_queue(QUEUE)
    for user_id in ids:
        with suppress(DuplicateJobError):  # enqueued already: the day's run is repeated
            queue.enqueue(
                SEND_TASK,
                user_id,
                when,
                job_id=f"digest-{when}-{user_id}",
                unique=True,
                result_ttl=KEEP,
                failure_ttl=KEEP,
                retry=Retry(max=3, interval=[60, 600, 3600]),  # a mail server down a while
            )
    return len(ids)


def send_to(session: Session, user_id: int, day: date) -> str:
    """Send one user's digest for day unless it is off, empty or already sent; what happened."""
    user = session.get(User, user_id)
    if user is None:
        return "gone"
    outcome, _digest = send(session, user, day)
    return outcome
