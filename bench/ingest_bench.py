"""10,000 closures through POST /api/v1/closures on gunicorn and PostgreSQL: rate, p95, none lost.

    .venv/bin/python bench/ingest_bench.py [--closures 10000] [--web-workers 3] [--clients 8]
        [--rate 0]

A scratch database on the machine's PostgreSQL (KASSABOK_BENCH_PG), a private Redis, gunicorn
with --web-workers processes; `clients` threads send closures over 20 stores. Sync is off so the
figure is ingest alone. At the end every 201 must be a row.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import httpx
from _rig import ROOT, scratch_database


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


def main() -> int:
    """Send the closures and print the figures."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--closures", type=int, default=10_000)
    p.add_argument("--web-workers", type=int, default=3)
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
        for i in range(args.closures)
    ]
    redis_url, stop_redis = redis_server()
    with scratch_database() as url:
        token = _company(url, stores)
        port = free_port()
        env = {**os.environ, "KASSABOK_ENV": "testing", "DATABASE_URL": url, "REDIS_URL": redis_url}
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(args.web_workers), "-b",
             f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    httpx.get(base + "/auth/login", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            http = httpx.Client(base_url=base, headers=headers, timeout=30,
                                limits=httpx.Limits(max_connections=args.clients))  # fmt: skip

            def send(item: tuple[int, bytes]) -> tuple[int, float]:
                i, body = item
                if args.rate:  # closure i leaves at its slot, so latency is not queueing here
                    time.sleep(max(0.0, started + i / args.rate - time.perf_counter()))
                t = time.perf_counter()
                status = http.post("/api/v1/closures", content=body).status_code
                return status, time.perf_counter() - t

            started = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                results = list(pool.map(send, enumerate(bodies)))
            elapsed = time.perf_counter() - started
        finally:
            web.terminate()
            web.wait(10)
            stop_redis()
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("select count(*) from closure")).scalar_one()
        engine.dispose()
    latencies = sorted(r[1] for r in results)
    created = sum(1 for r in results if r[0] == 201)
    pace = f" at {args.rate:g}/s" if args.rate else " flat out"
    print(f"closures sent       {args.closures} by {args.clients} clients{pace}")
    print(f"gunicorn workers    {args.web_workers} on PostgreSQL")
    print(f"elapsed             {elapsed:.1f} s -> {args.closures / elapsed:.0f} closures/s")
    print(f"latency             p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms")  # fmt: skip
    print(f"answers             201: {created}, other: {len(results) - created}")
    print(f"rows in closure     {rows} ({'none lost' if rows == created else 'MISMATCH'})")
    return 0 if rows == created == args.closures else 1


if __name__ == "__main__":
    raise SystemExit(main())
