"""What `make run` starts (scripts/run.sh), on a temp instance and free ports, for the journeys."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.dbs import _free_port

ROOT = Path(__file__).resolve().parents[2]
READY = "Kassabok is running"
# Settings of the test process that must not leak into the demo (run.sh picks its own).
PRIVATE = ("DATABASE_URL", "REDIS_URL", "KASSABOK_ENV", "KASSABOK_PUBLIC_URL", "SECRET_KEY")


@dataclass(frozen=True)
class Stack:
    """The running demo: the portal's and the Fortnox sandbox's URLs, run.sh's log, its instance."""

    url: str
    sandbox: str
    log: Path
    instance: Path

    def tail(self, lines: int = 40) -> str:
        """The end of the log, for a failure message."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def settle(self, timeout: float = 90) -> None:
        """Wait until the worker has nothing queued or running: what a click set off has ended.

        A job's page may show its outcome before the job is done (a post reads "Posted" while
        the same job still checks the day against Fortnox, which the month board shows).
        """
        deadline = time.monotonic() + timeout
        while not idle(self.instance, running=True):
            assert time.monotonic() < deadline, f"the worker is still busy:\n{self.tail()}"
            time.sleep(0.2)


def start(
    instance: Path, days: str, timeout: float = 600, **settings: str
) -> tuple[Stack, Callable[..., float]]:
    """Run scripts/run.sh until the portal answers; return the stack and a function to stop it.

    settings are more environment variables for run.sh (VERBOSE, ...).
    """
    port, sandbox_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if k not in PRIVATE and not k.startswith("FORTNOX_")}
    env.update(
        KASSABOK_INSTANCE=str(instance),
        PORT=str(port),
        SANDBOX_PORT=str(sandbox_port),
        DEMO_DAYS=days,
        **settings,
    )
    log = instance.parent / "run.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["bash", "scripts/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stopping reaches every child
        )
    stack = Stack(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{sandbox_port}", log, instance)

    def stop(sig: int = signal.SIGTERM) -> float:
        """Signal run.sh's process group (SIGINT: as Ctrl-C does); the seconds until it exited."""
        began = time.monotonic()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)  # run.sh's trap stops what it started
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(30)
        took = time.monotonic() - began
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # run.sh itself, had its trap hung
        proc.wait(10)
        return took

    deadline = time.monotonic() + timeout
    while READY not in log.read_text(errors="replace") or not idle(instance):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop()
            raise RuntimeError(f"scripts/run.sh did not start:\n{stack.tail()}")
        time.sleep(0.5)
    return stack, stop


def idle(instance: Path, running: bool = False) -> bool:
    """True when the worker's queues are empty (and, if running, no job of theirs is running).

    `flask seed closures` posts the demo itself, but each closure it ingests also queued a post
    job; the worker works through those no-ops first, and a journey's job would wait behind them.
    """
    import redis
    from rq.registry import StartedJobRegistry

    from app.queue import QUEUES

    url = (instance / "redis.url").read_text().strip()
    queued = redis.Redis.from_url(url)
    if any(queued.llen(f"rq:queue:{name}") for name in QUEUES):
        return False
    return not running or not any(
        StartedJobRegistry(name, connection=queued).count for name in QUEUES
    )
