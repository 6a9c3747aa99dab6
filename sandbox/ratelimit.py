"""Fortnox's rate limit: a sliding window of requests per client and tenant."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque

from flask import Response

from sandbox.errors import error_response


class RateLimiter:
    """At most `count` accepted requests per `window` seconds per key (count 0: no limit)."""

    def __init__(self, count: int, window: float) -> None:
        self.count = count
        self.window = window
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Forget every window."""
        with self._lock:
            self._hits.clear()

    def check(self, key: str) -> Response | None:
        """Count a request; a 429 answer when the window is full (refused ones do not count)."""
        if self.count <= 0:
            return None
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.count:
                wait = max(1, math.ceil(self.window - (now - hits[0])))
                window = f"{self.window:g}"
                return error_response(
                    "rate_limited",
                    headers={"Retry-After": str(wait)},
                    count=self.count,
                    window=window,
                )
            hits.append(now)
        return None
