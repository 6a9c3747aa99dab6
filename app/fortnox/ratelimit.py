"""One rate budget per Fortnox company, shared by every process through Redis."""

from __future__ import annotations

import random
import time
import uuid

import redis
from flask import current_app

from app.fortnox.errors import Retryable
from app.queue import get_redis

# A sliding window over a sorted set of admission times (Redis's clock, so every host agrees).
# Returns 0 when admitted, else the milliseconds until the oldest admission leaves the window.
_TAKE = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window_us = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window_us)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, math.ceil(window_us / 1000) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local wait_us = tonumber(oldest[2]) + window_us - now
return math.max(1, math.ceil(wait_us / 1000))
"""

# Fortnox counts a request when it arrives, we when it leaves: a little slack on the
# window keeps uneven network delays from squeezing 26 arrivals into 5 seconds.
SLACK_SECONDS = 0.25


def key_for(company_id: int) -> str:
    """The Redis key of a company's budget."""
    return f"kassabok:fortnox:rate:{company_id}"


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
        self._script = self.redis.register_script(_TAKE)

    def try_take(self) -> float:
        """Take a slot now (0.0) or say how many seconds until one may free up."""
        wait_ms = self._script(
            keys=[self.key],
            args=[self.count, int(self.window * 1_000_000), uuid.uuid4().hex],
        )
        return int(wait_ms) / 1000.0

    def take(self, max_wait: float = 60.0) -> None:
        """Block until a slot is ours; Retryable if that takes longer than max_wait."""
        deadline = time.monotonic() + max_wait
        while True:
            wait = self.try_take()
            if wait <= 0:
                return
            if time.monotonic() + wait > deadline:
                raise Retryable("Fortnox rate budget exhausted; try again shortly")
            time.sleep(wait + random.uniform(0, 0.02))  # spread the waiters out

    def used(self) -> int:
        """How many slots the window holds right now."""
        now_s, now_us = self.redis.time()
        now = now_s * 1_000_000 + now_us
        return int(self.redis.zcount(self.key, now - int(self.window * 1_000_000), "+inf"))
