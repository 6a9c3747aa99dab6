"""The digest's queue entry points: one job a day enqueues a job per user (worker/schedule.py)."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from rq import Retry
from rq.exceptions import DuplicateJobError

QUEUE = "reconcile"  # after the night's checks, beside them; never in front of a post
KEEP = 2 * 86400  # seconds a day's job ids stay taken (and its results readable)


def send_all(day: str | None = None) -> int:
    """Enqueue the digest of every member for day (ISO; today when not given): how many."""
    from app.digest.service import recipients, today
    from app.queue import get_queue
    from worker.tasks import session_scope

    with session_scope() as session:
        when = day or today().isoformat()
        ids = [user.id for user in recipients(session)]
        queue = get_queue(QUEUE)
        for user_id in ids:
            with suppress(DuplicateJobError):  # enqueued already: the day's run is repeated
                queue.enqueue(
                    "app.digest.job.send_one",
                    user_id,
                    when,
                    job_id=f"digest-{when}-{user_id}",
                    unique=True,
                    result_ttl=KEEP,
                    failure_ttl=KEEP,
                    retry=Retry(max=3, interval=[60, 600, 3600]),  # a mail server down a while
                )
        return len(ids)


def send_one(user_id: int, day: str) -> str:
    """Send one user's digest for day unless it is off, empty or already sent; what happened."""
    from app.auth.models import User
    from app.digest.service import send
    from worker.tasks import session_scope

    with session_scope() as session:
        user = session.get(User, user_id)
        if user is None:
            return "gone"
        outcome, _digest = send(session, user, date.fromisoformat(day))
        return outcome
