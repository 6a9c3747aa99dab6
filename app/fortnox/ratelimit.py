"""One rate budget per Fortnox company, shared by every process through Redis."""

from __future__ import annotations

import random
import time
import uuid

import redis
from flask import current_app

from app.fortnox.errors import Retryable
from app.queue import get_redis

# A sliding window over a sorted set, on Redis's clock so every host agrees. A request holds
# its slot from when it is sent until `window` after its answer came back (while in flight
# its score lies in the future): Fortnox saw it somewhere in between, so however uneven the
# network, no `count + 1` requests ever reach Fortnox inside one window.
# Returns 0 when admitted, else the milliseconds until the oldest slot frees up.
_TAKE = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window_us = tonumber(ARGV[2])
local hold_us = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window_us)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now + hold_us, ARGV[3])
  redis.call('PEXPIRE', key, math.ceil((window_us + hold_us) / 1000) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return math.max(1, math.ceil((tonumber(oldest[2]) + window_us - now) / 1000))
"""
# The answer came back: the slot now frees up one window from this moment.
_DONE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
return redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
"""

SLACK_SECONDS = 0.1  # Fortnox's window edge is its own; never ride it exactly
HOLD_SECONDS = 120.0  # an answer never seen (a dead process) frees its slot after this
POLL_SECONDS = 0.25
# Slots a worker reserved for this process's job before it began (budget key -> slot): the
# job's first request to that company spends it instead of taking another.
_prepaid: dict[str, str] = {}


def key_for(company_id: int) -> str:
    """The Redis key of a company's budget."""
    return f"kassabok:fortnox:rate:{company_id}"


def limits() -> tuple[int, float]:
    """Requests a company may make per window, and that window in seconds (slack included)."""
    cfg = current_app.config
    return int(cfg["FORTNOX_RATE_COUNT"]), float(cfg["FORTNOX_RATE_WINDOW"]) + SLACK_SECONDS


def prepay(company_id: int, slot: str) -> None:
    """Hand a slot already taken in company_id's budget to this process's next request."""
    _prepaid[key_for(company_id)] = slot


def unspent(company_id: int) -> str | None:
    """Take back the prepaid slot of company_id if no request spent it (None if one did)."""
    return _prepaid.pop(key_for(company_id), None)


class RateBudget:
    """Admit at most `count` requests per `window` seconds for one company."""

    def __init__(
        self,
        company_id: int,
        *,
        count: int | None = None,
        window: float | None = None,
        conn: redis.Redis | None = None,
    ) -> None:
        cfg = current_app.config
        self.key = key_for(company_id)
        self.count = int(count or cfg["FORTNOX_RATE_COUNT"])
        self.window = float(window or cfg["FORTNOX_RATE_WINDOW"]) + SLACK_SECONDS
        self.redis = conn or get_redis()
        self._take = self.redis.register_script(_TAKE)
        self._done = self.redis.register_script(_DONE)

    def try_take(self) -> tuple[str | None, float]:
        """(slot, 0.0) when admitted now, else (None, seconds until one may free up)."""
        slot = uuid.uuid4().hex
        wait_ms = self._take(
            keys=[self.key],
            args=[self.count, int(self.window * 1e6), slot, int(HOLD_SECONDS * 1e6)],
        )
        return (slot, 0.0) if int(wait_ms) == 0 else (None, int(wait_ms) / 1000.0)

    def take(self, max_wait: float = 60.0) -> str:
        """Block until a slot is ours and return it; Retryable after max_wait seconds."""
        prepaid = _prepaid.pop(self.key, None)
        if prepaid is not None:
            return prepaid
        deadline = time.monotonic() + max_wait
        while True:
            slot, wait = self.try_take()
            if slot is not None:
                return slot
            if time.monotonic() >= deadline:
                raise Retryable("Fortnox rate budget exhausted; try again shortly")
            time.sleep(min(wait, POLL_SECONDS) + random.uniform(0, 0.02))

    def release(self, slot: str) -> None:
        """Give back a slot no request was sent under (it never counted against Fortnox)."""
        self.redis.zrem(self.key, slot)

    def done(self, slot: str) -> None:
        """The request's answer (or failure) is in: its slot frees up one window from now."""
        self._done(keys=[self.key], args=[slot])

    def used(self) -> int:
        """How many slots are taken right now (in flight or within the window)."""
        now_s, now_us = self.redis.time()
        now = now_s * 1_000_000 + now_us
        return int(self.redis.zcount(self.key, now - int(self.window * 1e6), "+inf"))
