"""Sign-in throttling in Redis: a hard limit per account, a growing delay per address.

Each attempt is reserved atomically (one Lua script) before the password is checked, so parallel
guesses cannot overtake the count. An account takes `limit` attempts per window; then it waits for
the window to end. An address takes `free` attempts per window without delay; after that it must
wait `delay`, 2 × `delay`, 4 × `delay` … (at most `max_delay`) between attempts, so a shared proxy
address slows a spray down without locking out the people behind it. A sign-in that succeeds
clears its account's count and gives back its address's attempt.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import current_app

from app.queue import get_redis

# KEYS: account, address. ARGV: now, limit, window, free, delay, max_delay.
# Returns {0, wait_ms} when throttled (nothing counted), {1, 0} when the attempt is reserved.
_RESERVE = """
local now = tonumber(ARGV[1])
local limit, window = tonumber(ARGV[2]), tonumber(ARGV[3])
local free, delay, cap = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local used = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local until_ms = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if used > 0 and now >= until_ms then
  redis.call('DEL', KEYS[1])
  used = 0
end
if used >= limit then
  return {0, math.max(until_ms - now, 1)}
end
local tries = tonumber(redis.call('HGET', KEYS[2], 'n') or '0')
local not_before = tonumber(redis.call('HGET', KEYS[2], 'not_before') or '0')
if tries >= free and now < not_before then
  return {0, not_before - now}
end
if used == 0 then
  redis.call('HSET', KEYS[1], 'until', now + window)
  redis.call('PEXPIRE', KEYS[1], window)
end
redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HINCRBY', KEYS[2], 'n', 1)
if tries >= free then
  local wait = math.min(delay * 2 ^ math.min(tries - free, 30), cap)
  redis.call('HSET', KEYS[2], 'not_before', now + wait)
end
redis.call('PEXPIRE', KEYS[2], window + cap)
return {1, 0}
"""


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may check its password, and else how long to wait (seconds)."""

    allowed: bool
    wait: int = 0


def _now_ms() -> int:
    """The clock the throttle counts by (tests move it)."""
    return int(time.time() * 1000)


def _keys(email: str, address: str) -> list[str]:
    """The Redis keys of an account and an address (hashed: no addresses kept in clear)."""

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    return [f"kassabok:login:account:{digest(email)}", f"kassabok:login:address:{digest(address)}"]


def reserve(email: str, address: str) -> Verdict:
    """Count one sign-in attempt for the account and the address, unless either must wait."""
    cfg = current_app.config
    args = (
        _now_ms(),
        int(cfg["LOGIN_MAX_ATTEMPTS"]),
        int(cfg["LOGIN_WINDOW_SECONDS"] * 1000),
        int(cfg["LOGIN_ADDRESS_FREE"]),
        int(cfg["LOGIN_ADDRESS_DELAY"] * 1000),
        int(cfg["LOGIN_ADDRESS_MAX_DELAY"] * 1000),
    )
    script = get_redis().register_script(_RESERVE)
    allowed, wait_ms = script(keys=_keys(email, address), args=args)
    return Verdict(bool(allowed), math.ceil(int(wait_ms) / 1000))


_SUCCEEDED = """
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HINCRBY', KEYS[2], 'n', -1) end
"""


def succeeded(email: str, address: str) -> None:
    """The sign-in succeeded: clear the account's count, give the address its attempt back."""
    get_redis().register_script(_SUCCEEDED)(keys=_keys(email, address))
