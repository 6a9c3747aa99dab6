"""Soak fixtures: a database several processes share, a Redis of its own, a sandbox of its own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import dbs
from tests.services import redis_server


def shared_database(tmp: Path, need_postgres: bool = False) -> tuple[str, Any]:
    """A migrated database: SQLite, or PostgreSQL on KASSABOK_TEST_DB=postgres or need_postgres."""
    if os.environ.get("KASSABOK_TEST_DB", "sqlite") == "sqlite" and not need_postgres:
        path = tmp / "soak.db"
        dbs.migrate(f"sqlite:///{path}")
        return f"sqlite:///{path}", lambda: None
    server, why, stop_server = dbs.postgres_server()
    if server is None:
        print(f"PostgreSQL not available: {why}")
        pytest.skip(f"needs PostgreSQL: {why}")
    url, drop = dbs.create_database(server)

    def stop() -> None:
        drop()
        if stop_server:
            stop_server()

    return url, stop


@pytest.fixture(scope="module")
def soak_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The database the test, the web processes and the workers share."""
    url, stop = shared_database(tmp_path_factory.mktemp("soak"))
    yield url
    stop()


@pytest.fixture(scope="module")
def soak_redis() -> Iterator[str]:
    """A Redis this module may FLUSHALL."""
    url, stop = redis_server()
    yield url
    stop()


@pytest.fixture(scope="module")
def soak_sandbox() -> Iterator[Any]:
    """A sandbox with a generous rate limit (faults, not the limit, are under test here)."""
    from sandbox.testing import SandboxServer

    with SandboxServer(rate_count=1000, rate_window=1.0, slow_seconds=0.5) as server:
        yield server
