"""Closures through POST /api/v1/closures on gunicorn and PostgreSQL: rate, p95, CPU, none lost.

    .venv/bin/python bench/ingest_bench.py [--closures 10000] [--web-workers 3] [--threads 1]
        [--clients 8] [--rate 0]

A scratch database on the machine's PostgreSQL (KASSABOK_BENCH_PG), a private Redis, gunicorn
with --web-workers processes (`--threads` > 1: the gthread worker, which keeps connections
alive). The clients are threads of a separate, lean process (http.client, keep-alive when the
server allows it, bodies serialized beforehand), so what they cost is measured apart. Sync is off
so the figure is ingest alone. Besides the rate, the CPU each part spent per closure is read from
/proc (gunicorn, the database's backends, the clients): unlike the rate it hardly depends on what
else the machine runs. At the end every 201 must be a row.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from _rig import ROOT, scratch_database

TICK = os.sysconf("SC_CLK_TCK")


def _company(url: str, stores: list[str]) -> str:
    """A company with stores and an API token; the token's plain text."""
    from sqlmodel import Session

    from app.companies.tokens import create_token
    from app.db import make_engine
    from tests.factories import make_company, make_store

    with Session(make_engine(url)) as s:
        company = make_company(s, "Bench AB", "556000-9999", sync_sales=False)
        for code in stores:
            make_store(s, company, code, f"Butik {code}")
        _token, plain = create_token(s, company=company, name="bench", user=None)
        s.commit()
        return plain


def durable(url: str) -> None:
    """Commit as production does, waiting for the WAL (the tests' databases do not)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        name = conn.execute(sa.text("SELECT current_database()")).scalar_one()
        conn.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = on'))
    engine.dispose()


def send_all(port: int, token: str, bodies: list[bytes], clients: int, rate: float) -> dict:
    """Send every body from `clients` threads; statuses, latencies and this process's CPU."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    results: list[tuple[int, float]] = [(0, 0.0)] * len(bodies)
    turn = iter(range(len(bodies)))
    take = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with take:
                i = next(turn, None)
            if i is None:
                conn.close()
                return
            if rate:  # closure i leaves at its slot, so latency is not queueing here
                time.sleep(max(0.0, started + i / rate - time.perf_counter()))
            t = time.perf_counter()
            conn.request("POST", "/api/v1/closures", bodies[i], headers)
            response = conn.getresponse()
            response.read()  # a sync worker closes: http.client connects again next time
            results[i] = (response.status, time.perf_counter() - t)

    used = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    return {"results": results, "elapsed": elapsed, "cpu": cpu}


def _client_main(argv: list[str]) -> int:
    """The client process: bodies from a file (one a line), results as JSON on stdout."""
    port, token, path, clients, rate = argv
    bodies = Path(path).read_bytes().splitlines()
    out = send_all(int(port), token, bodies, int(clients), float(rate))
    print(json.dumps(out))
    return 0


def _ticks(pid: int) -> int:
    """CPU ticks (user + system) a live process has used, 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _processes(match: str) -> list[int]:
    """Processes whose command line (or title) contains match."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if match in cmdline:
                found.append(int(entry.name))
    return found


def _children(pid: int) -> list[int]:
    """pid and its children (gunicorn's master and workers)."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *map(int, kids)]


def _cpu_of(groups: dict[str, list[int]]) -> dict[int, int]:
    """Ticks per pid, for every pid of every group."""
    return {pid: _ticks(pid) for pids in groups.values() for pid in pids}


def main() -> int:
    """Send the closures and print the figures."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--closures", type=int, default=10_000)
    p.add_argument("--web-workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=1, help="> 1: gunicorn's gthread worker")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--rate", type=float, default=0, help="closures/s to send at (0: flat out)")
    args = p.parse_args()
    from sandbox.testing import free_port
    from tests.posting.sandbox_support import day_closure
    from tests.services import redis_server

    stores = [f"S{n:02d}" for n in range(1, 21)]
    rng = random.Random(3)
    bodies = [
        json.dumps(
            day_closure(stores[i % 20], 1 + i, str(date(2025, 1, 1) + timedelta(i // 20)), rng)
        ).encode()
        for i in range(args.closures + 40)
    ]
    warm, bodies = bodies[:40], bodies[40:]
    redis_url, stop_redis = redis_server()
    with scratch_database() as url, tempfile.TemporaryDirectory() as tmp:
        durable(url)
        token = _company(url, stores)
        port = free_port()
        env = {**os.environ, "KASSABOK_ENV": "testing", "DATABASE_URL": url, "REDIS_URL": redis_url}
        threads = ["--threads", str(args.threads)] if args.threads > 1 else []
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(args.web_workers), *threads, "-b",
             f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(300):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    conn.request("GET", "/auth/login")
                    conn.getresponse().read()
                    break
                except OSError:
                    time.sleep(0.1)
            # Every worker imports, connects and compiles before the measured closures.
            send_all(port, token, warm, args.clients, 0)
            path = Path(tmp) / "bodies"
            path.write_bytes(b"\n".join(bodies))
            database = url.rsplit("/", 1)[1].split("?")[0]
            groups = {
                "gunicorn": _children(web.pid),
                "postgres": _processes(f" {database} "),
                "redis": _processes(f":{redis_url.rsplit(':', 1)[1].split('/')[0]} "),
            }
            load_before = os.getloadavg()
            before = _cpu_of(groups)
            sent = subprocess.run(
                [sys.executable, __file__, "--client", str(port), token, str(path),
                 str(args.clients), str(args.rate)],
                check=True, capture_output=True, cwd=ROOT,
            )  # fmt: skip
            groups["postgres"] = _processes(f" {database} ")  # backends the pool added
            after = _cpu_of(groups)
            load_after = os.getloadavg()
        finally:
            web.terminate()
            web.wait(10)
            stop_redis()
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("select count(*) from closure")).scalar_one()
        engine.dispose()
    out = json.loads(sent.stdout)
    results, elapsed, n = out["results"], out["elapsed"], args.closures
    spent = {
        name: sum(after.get(pid, 0) - before.get(pid, 0) for pid in pids) / TICK / n * 1000
        for name, pids in groups.items()
    }
    spent["clients"] = out["cpu"] / n * 1000
    latencies = sorted(r[1] for r in results)
    created = sum(1 for r in results if r[0] == 201)
    pace = f" at {args.rate:g}/s" if args.rate else " flat out"
    kind = f"gthread x {args.threads} threads" if args.threads > 1 else "sync"
    server = spent["gunicorn"] + spent["postgres"] + spent["redis"]
    print(f"closures sent       {n} by {args.clients} clients{pace}")
    print(f"gunicorn workers    {args.web_workers} ({kind}) on PostgreSQL")
    print(f"elapsed             {elapsed:.1f} s -> {n / elapsed:.0f} closures/s")
    print(f"latency             p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms")  # fmt: skip
    print("CPU per closure     " + ", ".join(f"{k} {v:.2f} ms" for k, v in spent.items()))
    whole = server + spent["clients"]
    print(f"2 cores allow       {2000 / server:.0f}/s for the server side alone "
          f"({server:.2f} ms), {2000 / whole:.0f}/s with these clients")  # fmt: skip
    print(f"load average        {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"answers             201: {created}, other: {len(results) - created}")
    print(f"rows in closure     {rows} ({'none lost' if rows == created + 40 else 'MISMATCH'})")
    return 0 if rows == created + 40 == n + 40 else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--client"]:
        raise SystemExit(_client_main(sys.argv[2:]))
    raise SystemExit(main())
