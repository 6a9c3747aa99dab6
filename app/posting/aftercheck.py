"""After a post its store-day is checked against Fortnox: once per company and day, not per post.

The post job notes its store in a Redis sorted set of the company and day and enqueues that
day's check job (one job id per company and day) into the company's line, behind its waiting
posts, so the posts of a night share one check. The job (app/reconcile/noted.py) reads the day
back once and checks every noted store in one pass, then looks again until nothing is left:
what a post notes while it runs is checked by its next round. A note just after its last look
waits for the sweeper, as does a set a failed or killed job left behind; the nightly run
catches up on anything else, as it does when a read-back fails.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date

import redis

from app.closures.models import Closure
from app.posting import jobs
from app.queue import get_redis

log = logging.getLogger(__name__)
PREFIX = "kassabok:aftercheck:"  # + company:YYYY-MM-DD -> store code: when noted (a counter)
SEQ = "kassabok:aftercheck-seq"
TASK = "worker.tasks.check_posted"
KEEP_SECONDS = 2 * 86400
# Note a store with a fresh number, so a round can tell a store noted again while it ran.
# Returns how many stores were noted before: 0 means no check is pending, so enqueue one.
_NOTE = """
local before = redis.call('ZCARD', KEYS[1])
redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[2]), ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return before
"""
# Forget the stores a round checked, unless noted again since (their number changed).
DONE = """
for i = 1, #ARGV, 2 do
  local now = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if now and tonumber(now) == tonumber(ARGV[i + 1]) then redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return 0
"""


def key_for(company_id: int, day: date) -> str:
    """The Redis set of a company's stores posted on day and not checked yet."""
    return f"{PREFIX}{company_id}:{day.isoformat()}"


def job_id(company_id: int, day: date) -> str:
    """The one check job of a company's day."""
    return f"check-{company_id}-{day:%Y%m%d}"


def enqueue(company_id: int, day: date) -> str:
    """Enqueue the check of a company's day unless it is waiting already."""
    return jobs.enqueue_unique(
        TASK, job_id(company_id, day), company_id, day.isoformat(), company=company_id
    )


def note(closure: Closure) -> None:
    """A post is committed: have its store-day checked (never raises; posting is done)."""
    try:
        key = key_for(closure.company_id, closure.business_date)
        if get_redis().eval(_NOTE, 2, key, SEQ, closure.store_code, KEEP_SECONDS) == 0:
            enqueue(closure.company_id, closure.business_date)  # else one waits or runs
    except Exception:  # Redis away: the nightly run checks the day
        log.exception("could not queue the check of closure %s", closure.id)


def left_behind(conn: redis.Redis) -> Iterator[tuple[int, date]]:
    """(company, day) of every set still holding stores."""
    for key in conn.scan_iter(match=f"{PREFIX}*", count=500):
        if conn.zcard(key):
            company, day = key.decode()[len(PREFIX) :].split(":")
            yield int(company), date.fromisoformat(day)
