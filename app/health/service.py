"""Probe the two stores of state every process depends on."""

from __future__ import annotations

import logging

import redis
from flask import current_app
from sqlalchemy import text

from app.db import get_engine
from app.queue import get_redis

log = logging.getLogger(__name__)
TIMEOUT = 2.0  # seconds: a health check must answer before the load balancer gives up
_probes: dict[str, redis.Redis] = {}


def database_ok() -> bool:
    """True when the database answers SELECT 1."""
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception as err:  # any failure means unhealthy; the reason stays in the log
        log.warning("health: database check failed (%s)", type(err).__name__)
        return False


def _redis() -> redis.Redis:
    """A client for REDIS_URL with short timeouts (the embedded Redis when none is set)."""
    url = current_app.config.get("REDIS_URL") or ""
    if not url:
        return get_redis()
    if url not in _probes:
        _probes[url] = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
        )
    return _probes[url]


def redis_ok() -> bool:
    """True when Redis answers PING."""
    try:
        return bool(_redis().ping())
    except Exception as err:  # as above: unhealthy, details only in the log
        log.warning("health: redis check failed (%s)", type(err).__name__)
        return False


def report() -> tuple[dict[str, str], bool]:
    """Each part's state ("ok" or "unavailable") and whether all are ok."""
    parts = {"database": database_ok(), "redis": redis_ok()}
    healthy = all(parts.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body |= {name: "ok" if ok else "unavailable" for name, ok in parts.items()}
    return body, healthy
