"""Injected faults on /3/ and the token endpoint: 429, 500, 503, slow, lost responses."""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time

from flask import Response, current_app, g, request

from sandbox.errors import error_response

KINDS = ("429", "500", "503", "slow", "lost_response")


class LostResponse(ConnectionAbortedError):
    """Raised where there is no socket to drop (the Flask test client)."""


class Faults:
    """A seeded, deterministic draw of faults for a share of requests."""

    def __init__(self, slow_seconds: float) -> None:
        self.slow_seconds = slow_seconds
        self._lock = threading.Lock()
        self.configure(0.0, list(KINDS), 0)

    def configure(
        self,
        rate: float,
        kinds: list[str],
        seed: int,
        slow_seconds: float | None = None,
        only: list[str] | None = None,
    ) -> dict:
        """Set the share of faulty requests, which kinds, the seed (rate 0: off).

        only: requests it may hit, as "METHOD /path" prefixes ("POST /3/voucherfileconnections");
        none: every request.
        """
        unknown = [kind for kind in kinds if kind not in KINDS]
        if unknown or not 0 <= rate <= 1 or (rate > 0 and not kinds):
            raise ValueError(f"rate must be 0..1 and kinds among {', '.join(KINDS)}")
        if only is not None and not all(isinstance(o, str) and " /" in o for o in only):
            raise ValueError('only lists "METHOD /path" prefixes, e.g. "POST /3/vouchers"')
        with self._lock:
            self.rate, self.kinds, self.seed = rate, list(kinds), seed
            self.only = list(only or [])
            self._random = random.Random(seed)
            if slow_seconds is not None:
                self.slow_seconds = slow_seconds
        return self.describe()

    def describe(self) -> dict:
        """The current settings."""
        return {
            "rate": self.rate,
            "kinds": self.kinds,
            "seed": self.seed,
            "slow": self.slow_seconds,
            "only": self.only,
        }

    def draw(self) -> str | None:
        """The fault for the next request, if any."""
        with self._lock:
            if self.rate <= 0:
                return None
            hit = self._random.random() < self.rate
            kind = self._random.choice(self.kinds)
        return kind if hit else None

    def before_request(self) -> Response | None:
        """Answer an error fault at once, sleep for a slow one, mark a lost one."""
        asked = f"{request.method} {request.path}"
        kind = self.draw() if not self.only or asked.startswith(tuple(self.only)) else None
        g.fault = kind
        if kind == "429":
            limiter = current_app.extensions["sandbox.limiter"]
            return error_response(
                "rate_limited",
                headers={"Retry-After": "1"},
                count=limiter.count,
                window=f"{limiter.window:g}",
            )
        if kind == "500":
            return error_response("system")
        if kind == "503":
            return error_response("unavailable")
        if kind == "slow":
            time.sleep(self.slow_seconds)
        return None


def drop_if_lost(response: Response) -> Response:
    """After the write is committed, close the connection instead of answering."""
    if g.get("fault") != "lost_response":
        return response
    sock = request.environ.get("werkzeug.socket")
    if sock is None:
        raise LostResponse("response lost (simulated)")
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    return response
