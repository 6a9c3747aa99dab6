"""`make run` (scripts/run.sh): Ctrl-C stops it in seconds, without a traceback; a quiet log."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask

from tests.e2e.stack import READY, ROOT, start

ROUTINE = "cleaning registries"  # rq's maintenance line, every 15 s at INFO
DEMO_ADMIN = "admin@demo.kassabok.se"


def listening(url: str) -> bool:
    """True while something accepts connections at url's host and port."""
    host, port = url.removeprefix("http://").split(":")
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, int(port))) == 0


def maintained(instance: Path, timeout: float = 60) -> None:
    """Wait until the worker's maintenance has run (it schedules the minute tick in Redis)."""
    import redis

    queued = redis.Redis.from_url((instance / "redis.url").read_text().strip())
    deadline = time.monotonic() + timeout
    while not queued.keys("rq:job:tick-*"):
        assert time.monotonic() < deadline, "the worker's maintenance did not run"
        time.sleep(0.2)


def caught_a_reset_mail(url: str, instance: Path, timeout: float = 60) -> None:
    """Ask the demo for a password-reset link; wait until its mail catcher has kept the mail."""
    import re

    import httpx

    with httpx.Client(base_url=url) as web:
        form = web.get("/account/forgot").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        answer = web.post("/account/forgot", data={"csrf_token": token, "email": DEMO_ADMIN})
        assert answer.status_code == 303, answer.text

    def reset_mail() -> bool:  # the worker's digests may be kept beside it
        kept = [m.read_text() for m in (instance / "mail").glob("*.eml")]
        return any(f"To: {DEMO_ADMIN}" in m and "/account/reset/" in m for m in kept)

    deadline = time.monotonic() + timeout
    while not reset_mail():
        assert time.monotonic() < deadline, "the mail catcher kept no reset mail"
        time.sleep(0.2)


@pytest.mark.slow
def test_ctrl_c_stops_every_process_in_seconds_without_a_traceback(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    stack, stop = start(instance, "12", timeout=300)
    control = instance / "gunicorn.ctl"
    try:
        maintained(instance)
        assert control.is_socket(), "the portal has no control socket of its own"
        log = stack.log.read_text(errors="replace")
        assert f"Control socket listening at {control}" in log
        banner = log.index(READY)
        # digest: run.sh's mail catcher gets what the worker sends, and says where to read it.
        assert f"Mail is caught, not sent: {stack.url}/mail/caught" in log
        catcher = "http://" + (instance / "mail.addr").read_text().strip()
        caught_a_reset_mail(stack.url, instance)
    except BaseException:
        stop()
        raise
    took = stop(signal.SIGINT)  # the terminal's Ctrl-C reaches the whole process group
    log = stack.log.read_text(errors="replace")
    assert took < 10, f"stopping took {took:.1f} s:\n{stack.tail()}"
    assert "Traceback" not in log, stack.tail(80)
    assert "Stopping..." in log
    assert ROUTINE not in log[banner:], "the worker's routine log buries the logins"
    assert not listening(stack.url) and not listening(stack.sandbox), "a server outlived run.sh"
    assert not listening(catcher) and not (instance / "mail.addr").exists(), "the catcher lives"
    assert not (instance / "redis.url").exists(), "Redis was not shut down"
    assert not control.exists()


@pytest.mark.parametrize(("level", "shown"), [("WARNING", False), ("INFO", True)])
def test_the_worker_logs_its_maintenance_only_when_asked(
    app: Flask, tmp_path: Path, level: str, shown: bool
) -> None:
    """run.sh passes --log-level WARNING, or INFO with VERBOSE=1."""
    cmd = [sys.executable, "-m", "worker", "--burst", "--queues", "sync", "--log-level", level]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (ROUTINE in done.stdout + done.stderr) is shown, done.stdout
