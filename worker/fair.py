"""Fair turns: companies' lines served least-recently-served first, each only within its budget.

A worker takes its next post job with one Redis script (`take_turn`): of the companies with a
waiting job, the one served longest ago whose Fortnox budget has a free slot gives up its oldest
job, and that slot is reserved for the job (`job:<id>` in the budget's sorted set). A company
out of budget is passed over, so its backlog waits in Redis, not in a worker. The job takes
the reserved slot over under a name of its own and spends it on its first request (`Turn`); one
that finds no slot (a retry from the shared list, or a reservation lost) returns rq's Retry and
frees the worker until a slot frees up.

Between the pop and the job's start a killed worker would leave the job queued in no list: the
pop is noted in `POPPED` and the job's first step clears it, so `repair` (the sweeper's) puts
back what stayed there longer than the grace.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field

import redis
from redis.commands.core import Script
from rq import get_current_job
from rq.job import Job, JobStatus

from app.fortnox import ratelimit
from app.queue import FAIR_PREFIX, FAIR_RING, fair_key, get_redis

POPPED = "kassabok:fair:popped"  # "company:job_id" -> when a worker popped it (Redis µs)
SCAN = 1000  # companies looked at per turn, at most
RETRY_MAX = 1_000_000  # yields are not failures: never let rq's retry count end a post

# KEYS: ring, popped. ARGV: limit, window µs, hold µs, scan, line prefix, budget prefix.
# Returns {company, job_id}, or {"", µs until the soonest passed-over budget frees, or -1}.
_TAKE_TURN = """
local limit, window, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local soonest = -1
for _, company in ipairs(redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[4]) - 1)) do
  local line = ARGV[5] .. company
  if redis.call('LLEN', line) == 0 then
    redis.call('ZREM', KEYS[1], company)
  else
    local budget = ARGV[6] .. company
    redis.call('ZREMRANGEBYSCORE', budget, '-inf', now - window)
    if redis.call('ZCARD', budget) < limit then
      local id = redis.call('LPOP', line)
      redis.call('ZADD', budget, now + hold, 'job:' .. id)
      redis.call('PEXPIRE', budget, math.ceil((window + hold) / 1000) + 1000)
      redis.call('ZADD', KEYS[2], now, company .. ':' .. id)
      if redis.call('LLEN', line) == 0 then
        redis.call('ZREM', KEYS[1], company)
      else
        redis.call('ZADD', KEYS[1], now, company)
      end
      return {company, id}
    end
    local oldest = redis.call('ZRANGE', budget, 0, 0, 'WITHSCORES')
    local wait = tonumber(oldest[2]) + window - now
    if soonest < 0 or wait < soonest then soonest = wait end
  end
end
return {'', tostring(soonest)}
"""

# KEYS: budget, popped. ARGV: limit, window µs, hold µs, reserved slot, fresh slot, popped entry.
# The job has begun (clear its pop); its reserved slot if still unspent, else a fresh one.
# The reservation is named after the job, so it is handed over under the fresh name: a later
# turn of the same job id (a retry, a day's check looking again) would otherwise overwrite the
# slot this run's request spends, and the budget would forget a request Fortnox counted.
# Returns {slot, "0"} or {"", ms until a slot may free}.
_ADMIT = """
local limit, window, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREM', KEYS[2], ARGV[6])
local reserved = redis.call('ZSCORE', KEYS[1], ARGV[4])
if reserved and tonumber(reserved) > now then
  redis.call('ZREM', KEYS[1], ARGV[4])
  redis.call('ZADD', KEYS[1], reserved, ARGV[5])
  return {ARGV[5], '0'}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], math.ceil((window + hold) / 1000) + 1000)
  return {ARGV[5], '0'}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {'', tostring(math.max(1, math.ceil((tonumber(oldest[2]) + window - now) / 1000)))}
"""


_scripts: dict[tuple[int, str], Script] = {}


def _script(conn: redis.Redis, text: str) -> Script:
    """text registered once per connection (registering hashes the text every time)."""
    key = (id(conn), text)
    if key not in _scripts:
        _scripts[key] = conn.register_script(text)
    return _scripts[key]


def _args() -> list:
    count, window = ratelimit.limits()
    return [count, int(window * 1e6), int(ratelimit.HOLD_SECONDS * 1e6)]


def take_turn(conn: redis.Redis) -> tuple[str, str | None, float | None]:
    """(company, job id, None) for the next turn, else ("", None, seconds until one may come).

    The wait is None when no company has a job waiting.
    """
    found = _script(conn, _TAKE_TURN)(
        keys=[FAIR_RING, POPPED],
        args=[*_args(), SCAN, FAIR_PREFIX, ratelimit.key_for("")],
    )
    company, value = (x.decode() if isinstance(x, bytes) else str(x) for x in found)
    if company:
        return company, value, None
    wait_us = int(value)
    return "", None, (None if wait_us < 0 else max(wait_us, 1000) / 1e6)


# KEYS: budget, popped. ARGV: reserved slot, popped entry. After the job: a reservation still
# ahead of now was never spent (a spent one was answered, so its score is in the past): free it.
_SETTLE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if held and tonumber(held) > now then redis.call('ZREM', KEYS[1], ARGV[1]) end
redis.call('ZREM', KEYS[2], ARGV[2])
return 0
"""


def settle(conn: redis.Redis, company: str, job_id: str) -> None:
    """After a job taken on company's turn: free its reserved slot if it never claimed it."""
    _script(conn, _SETTLE)(
        keys=[ratelimit.key_for(company), POPPED], args=[f"job:{job_id}", f"{company}:{job_id}"]
    )


def give_back(conn: redis.Redis, company: str, job_id: str) -> None:
    """A popped job that will not run here: free its reserved slot and forget the pop."""
    with conn.pipeline(transaction=False) as pipe:
        pipe.zrem(ratelimit.key_for(company), f"job:{job_id}")
        pipe.zrem(POPPED, f"{company}:{job_id}")
        pipe.execute()


@dataclass
class Turn:
    """A post job's claim on its company's budget: call it with the company before posting."""

    job_id: str | None
    company_id: int | None = None
    wait: float = 0.0
    _slot: str = field(default="", repr=False)

    def __call__(self, company_id: int) -> float:
        """0.0 when a slot is this job's (prepaid for its first request), else seconds to wait."""
        if self.job_id is None:  # not run by a worker: take slots as requests go
            return 0.0
        self.company_id = company_id
        slot, value = _script(get_redis(), _ADMIT)(
            keys=[ratelimit.key_for(company_id), POPPED],
            args=[
                *_args(),
                f"job:{self.job_id}",
                uuid.uuid4().hex,
                f"{company_id}:{self.job_id}",
            ],
        )
        if slot:
            ratelimit.prepay(company_id, slot.decode() if isinstance(slot, bytes) else slot)
            return 0.0
        self.wait = int(value) / 1000.0
        return self.wait

    def close(self) -> None:
        """Give back the prepaid slot if no request spent it."""
        if self.company_id is None:
            return
        slot = ratelimit.unspent(self.company_id)
        if slot is not None:
            get_redis().zrem(ratelimit.key_for(self.company_id), slot)

    def retry_in(self) -> int:
        """Whole seconds until the job should come back (rq's Retry counts in seconds)."""
        return max(1, math.ceil(self.wait))


def turn() -> Turn:
    """The running rq job's turn (none outside a worker)."""
    job = get_current_job()
    return Turn(job.id if job is not None else None)


def repair(conn: redis.Redis, grace: float) -> int:
    """Put back jobs popped more than grace seconds ago that never began; list every line."""
    now_s, now_us = conn.time()
    cutoff = now_s * 1_000_000 + now_us - int(grace * 1e6)
    put_back = 0
    for entry in conn.zrangebyscore(POPPED, "-inf", cutoff):
        company, job_id = entry.decode().split(":", 1)
        status = conn.hget(Job.key_for(job_id), "status")
        if status is not None and status.decode() == JobStatus.QUEUED:
            conn.lpush(fair_key(company), job_id)
            put_back += 1
        give_back(conn, company, job_id)
    for key in conn.scan_iter(match=f"{FAIR_PREFIX}*", count=500):
        if conn.llen(key):
            conn.zadd(FAIR_RING, {key.decode()[len(FAIR_PREFIX) :]: 0}, nx=True)
    return put_back
