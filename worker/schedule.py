"""The worker's clock: a tick a minute, the nightly checks and the morning digest, via rq."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from redis.exceptions import RedisError
from rq.exceptions import DuplicateJobError

from app.queue import get_queue

NIGHTLY_AT = time(2, 0)
log = logging.getLogger(__name__)


def _once(
    queue: str, func: str, job_id: str, at: datetime | None, ttl: int, args: tuple = ()
) -> bool:
    """Enqueue func(*args) under job_id unless that id is taken (another worker did it)."""
    q = get_queue(queue)
    # At the front: the clock must not wait behind a backlog of posts (that is when it is needed).
    options = {
        "job_id": job_id,
        "unique": True,
        "result_ttl": ttl,
        "failure_ttl": ttl,
        "at_front": True,
    }
    try:
        if at is None:
            q.enqueue(func, *args, **options)
        else:
            q.enqueue_at(at, func, *args, **options)
    except DuplicateJobError:
        return False
    return True


def schedule_next_tick(now: datetime | None = None) -> bool:
    """Schedule the tick at the start of the next minute (one per minute however many workers)."""
    now = now or datetime.now(UTC)
    at = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    return _once("sync", "worker.tasks.tick", f"tick-{at:%Y%m%dT%H%M}", at, 3600)


def keep_ticking() -> bool:
    """Schedule the next tick unless it is: a worker does so at start and at each maintenance."""
    try:
        return schedule_next_tick()
    except RedisError:  # a worker must not stop over it: the next maintenance tries again
        log.exception("could not schedule the tick")
        return False


def _daily(now: datetime | None, at: time, func: str, name: str, with_day: bool = False) -> bool:
    """Once a local day, after at, enqueue func as job name-YYYYMMDD (with the day, if asked)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Stockholm"))
    local = (now or datetime.now(UTC)).astimezone(zone)
    if local.time() < at:
        return False
    args = (local.date().isoformat(),) if with_day else ()
    return _once("reconcile", func, f"{name}-{local:%Y%m%d}", None, 2 * 86400, args)


def schedule_nightly(now: datetime | None = None) -> bool:
    """Once a night after 02:00 local time, enqueue the checks of every company."""
    return _daily(now, NIGHTLY_AT, "worker.tasks.nightly_all", "nightly")


def digest_at() -> time:
    """DIGEST_AT (local HH:MM) as a time; 07:00, logged, when it is not one."""
    raw = str(current_app.config.get("DIGEST_AT") or "07:00")
    try:
        return time.fromisoformat(raw)
    except ValueError:
        log.error("KASSABOK_DIGEST_AT=%r is not a time like 07:00; the digest goes at 07:00", raw)
        return time(7, 0)


def schedule_digest(now: datetime | None = None) -> bool:
    """Once a day after DIGEST_AT local time, enqueue every user's digest for that day.

    The job id is the day's, so a second tick (or worker) enqueues nothing; were Redis to forget
    it, the digest's own record of what was sent keeps each user to one mail a day.
    """
    return _daily(now, digest_at(), "worker.jobs.digest.send_all", "digest", with_day=True)
