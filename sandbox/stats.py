"""Request counters per endpoint and status, for tests that count a job's calls."""

from __future__ import annotations

import re
import threading
from collections import Counter

from flask import request

COUNTED = ("/3/", "/oauth-v1/")
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


class Stats:
    """Counts of answered requests keyed by "METHOD /path/{param}" and status."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Zero every counter."""
        with self._lock:
            self._counts.clear()

    def record(self, status: int | str) -> None:
        """Count this request if it is an API or OAuth call."""
        if not request.path.startswith(COUNTED):
            return
        rule = request.url_rule.rule if request.url_rule else request.path
        endpoint = request.method + " " + PARAM.sub(r"{\1}", rule)
        with self._lock:
            self._counts[(endpoint, str(status))] += 1

    def snapshot(self) -> dict:
        """{"total": n, "endpoints": {"POST /3/vouchers": {"201": 2}}}."""
        with self._lock:
            items = sorted(self._counts.items())
        endpoints: dict[str, dict[str, int]] = {}
        for (endpoint, status), count in items:
            endpoints.setdefault(endpoint, {})[status] = count
        return {"total": sum(count for _, count in items), "endpoints": endpoints}
