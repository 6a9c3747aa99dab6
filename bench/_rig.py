"""Bench plumbing: a scratch PostgreSQL database, a private Redis, a sandbox, one Rig."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = os.environ.get("KASSABOK_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextmanager
def scratch_database() -> Iterator[str]:
    """A migrated database on the machine's PostgreSQL, dropped afterwards."""
    from tests import dbs

    url, drop = dbs.create_database(PG)
    try:
        yield url
    finally:
        drop()  # type: ignore[operator]


@contextmanager
def rig(stores: int, rate: tuple[int, float], **sandbox_flags: Any) -> Iterator[Any]:
    """A Rig on a scratch database, a private Redis and a sandbox started with sandbox_flags."""
    from sandbox.testing import SandboxServer
    from tests.services import redis_server
    from tests.soak.harness import Rig

    redis_url, stop_redis = redis_server()
    try:
        with scratch_database() as url, SandboxServer(**sandbox_flags) as sandbox:
            made = Rig(sandbox, url, redis_url, stores=stores, rate=rate)
            try:
                yield made
            finally:
                made.close()
    finally:
        stop_redis()
