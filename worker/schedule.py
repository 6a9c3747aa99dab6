"""The worker's clock: a tick a minute and the nightly checks, chained through rq's scheduler."""

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


def _once(queue: str, func: str, job_id: str, at: datetime | None, ttl: int) -> bool:
    """Enqueue func under job_id unless that id is taken (another worker did it)."""
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
            q.enqueue(func, **options)
        else:
            q.enqueue_at(at, func, **options)
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


def schedule_nightly(now: datetime | None = None) -> bool:
    """Once a night after 02:00 local time, enqueue the checks of every company."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Stockholm"))
    local = (now or datetime.now(UTC)).astimezone(zone)
    if local.time() < NIGHTLY_AT:
        return False
    job_id = f"nightly-{local:%Y%m%d}"
    return _once("reconcile", "worker.tasks.nightly_all", job_id, None, 2 * 86400)
