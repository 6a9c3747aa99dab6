"""Two web processes and two worker pools on one PostgreSQL and one Redis: each closure once.

Closures are sent alternately to two gunicorn processes (each its own Python, pool and Redis
connection); a few are sent to both at the same moment. Two pools of `python -m worker`
processes, as on two worker hosts (pool A: an in-process worker and a forking one; pool B: two
in-process workers), post them to the sandbox; for a few closures a second post job is put on
the shared list too, so the pools race for the same closure. Skipped, with the reason printed,
when no PostgreSQL can be had.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from app.companies.tokens import create_token
from tests.sandbox_fixtures import CLIENT_ID  # noqa: F401 - the rig's OAuth client
from tests.soak.conftest import shared_database, soak_redis, soak_sandbox  # noqa: F401
from tests.soak.harness import ROOT, Rig
from tests.soak.test_soak import check_books

TOTAL = 80


@pytest.fixture(scope="module")
def pg_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL database for every process of this module (skipped without one)."""
    url, stop = shared_database(tmp_path_factory.mktemp("scale"), need_postgres=True)
    yield url
    stop()


def start_web(env: dict[str, str], port: int) -> subprocess.Popen:
    """One gunicorn process serving wsgi:app on port."""
    gunicorn = shutil.which("gunicorn", path=str(ROOT / ".venv" / "bin")) or "gunicorn"
    cmd = [gunicorn, "-w", "1", "--threads", "4", "-b", f"127.0.0.1:{port}", "wsgi:app"]
    if not shutil.which(cmd[0]):
        cmd = [sys.executable, "-m", "gunicorn", *cmd[1:]]
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_up(url: str, timeout: float = 120) -> None:
    """Wait until a web process answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/auth/login", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def race_twice(rig: Rig, n: int) -> None:
    """A second post job for n closures on the shared list: two pools may take the same one."""
    from sqlmodel import select

    from app.closures.models import Closure
    from app.posting.jobs import POST_TASK
    from app.queue import get_queue

    with rig.app.app_context():
        for pk in rig.session.exec(select(Closure.id).limit(n)).all():
            get_queue("sync").enqueue(POST_TASK, pk, job_id=f"race-{pk}")


def test_two_webs_two_worker_pools_each_closure_once(
    soak_sandbox: Any,  # noqa: F811
    pg_database: str,
    soak_redis: str,  # noqa: F811
) -> None:
    """80 closures through two web processes, eight of them sent to both at once."""
    from sandbox.testing import free_port

    rig = Rig(soak_sandbox, pg_database, soak_redis, stores=4)
    webs: list[subprocess.Popen] = []
    try:
        token, plain = create_token(rig.session, company=rig.company, name="POS", user=None)
        rig.session.commit()
        env = {**rig.env, "KASSABOK_ENV": "testing", "SESSION_COOKIE_SECURE": "0"}
        urls = []
        for _ in range(2):
            port = free_port()
            webs.append(start_web(env, port))
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            wait_up(url)
        rig.start_worker("a1")  # pool A
        rig.start_worker("a2", "sync", "--fork")
        rig.start_worker("b1")  # pool B
        rig.start_worker("b2")
        bodies = rig.closures(TOTAL, seed=5)
        headers = {"Authorization": f"Bearer {plain}", "Content-Type": "application/json"}

        def send(args: tuple[int, bytes]) -> int:
            i, body = args
            url = f"{urls[i % 2]}/api/v1/closures"  # httpx's 5 s is short on a busy machine
            return httpx.post(url, content=body, headers=headers, timeout=60).status_code

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(send, enumerate(bodies)))
            again = [(i, body) for i, body in enumerate(bodies[:8])]  # the other web, twice at once
            repeats = list(pool.map(send, [(i + 1, b) for i, b in again] * 2))
        assert codes.count(201) == TOTAL, codes
        assert set(repeats) == {200}, repeats
        race_twice(rig, 8)
        states = rig.settle(TOTAL, timeout=600, sweep_every=0.5, stall=30)  # a stall fails fast
        assert dict(states) == {"posted": TOTAL}, states
        rig.stop_workers()
        found = check_books(rig, TOTAL)
        print(f"scale-out: {len(found)} vouchers for {TOTAL} closures via {urls}")
    finally:
        for web in webs:
            web.terminate()
            web.wait(10)
        rig.close()
