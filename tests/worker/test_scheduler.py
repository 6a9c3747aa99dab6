"""rq's scheduler and the minute tick outlive a killed worker and a flushed Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from rq import Worker
from rq.job import Job, JobStatus
from rq.scheduler import RQScheduler

from app.queue import get_queue, get_redis

ROOT = Path(__file__).resolve().parents[2]
EVERY = 2  # seconds between a worker's maintenances here (production: 15)
LOCK = RQScheduler.get_locking_key("sync")


def wait_until(check: Callable[[], object], timeout: float) -> float:
    """Seconds until check() is true; fails after timeout."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            pytest.fail(f"not within {timeout} s: {check.__doc__ or check}")
        time.sleep(0.1)
    return time.monotonic() - started


@pytest.fixture
def start_worker(app, tmp_path: Path) -> Iterator[Callable[[str], subprocess.Popen]]:
    """Start `python -m worker` processes (each in a process group of its own); kill them after."""
    procs: list[subprocess.Popen] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KASSABOK_WORKER_MAINTENANCE_SECONDS": str(EVERY)}

    def start(name: str) -> subprocess.Popen:
        with open(tmp_path / f"{name}.log", "ab") as log:
            cmd = [sys.executable, "-m", "worker", "--queues", "sync", "--name", name]
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
            )
        procs.append(proc)

        def up() -> bool:
            """the worker registers with rq"""
            return any(w.name == name for w in Worker.all(connection=get_redis()))

        wait_until(up, 60)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def tick_scheduled() -> bool:
    """a tick job is in Redis"""
    return bool(get_redis().keys(Job.key_for("tick-*")))


def test_a_survivor_runs_scheduled_jobs_soon_after_the_scheduler_holder_is_killed(
    start_worker,
) -> None:
    first = start_worker("holder")
    wait_until(lambda: get_redis().get(LOCK), 30)  # the first worker runs rq's scheduler
    start_worker("survivor")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    # The dead holder's lock outlives it by rq's TTL (interval + 60 s); survivors retake it at
    # their maintenance. Stand in for that minute passing by letting the lock lapse now.
    assert 0 < get_redis().ttl(LOCK) <= 61
    job = get_queue("sync").enqueue_in(timedelta(seconds=2), "os.getpid", job_id="later")
    get_redis().expire(LOCK, 1)

    def ran() -> bool:
        """the scheduled job has run"""
        return job.get_status(refresh=True) == JobStatus.FINISHED

    # rq's defaults (maintenance every 600 s, a 405 s blocking wait) would take minutes.
    assert wait_until(ran, 2 + 2 * EVERY + 8) > 1
    assert get_redis().get(LOCK)  # the survivor holds the scheduler now


def test_after_flushall_the_tick_is_back_within_the_maintenance_interval(start_worker) -> None:
    start_worker("lone")
    wait_until(tick_scheduled, 30)  # scheduled at start
    get_redis().flushdb()
    assert not tick_scheduled()
    wait_until(tick_scheduled, 2 * EVERY + 5)
    wait_until(lambda: get_redis().get(LOCK), 5)  # and rq's scheduler holds its lock again
