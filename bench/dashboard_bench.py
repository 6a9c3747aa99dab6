"""The month grid with 50 stores x 365 days of data: p95 server time on SQLite and PostgreSQL.

    .venv/bin/python bench/dashboard_bench.py [--stores 50] [--days 365] [--repeat 5]

Rows are bulk-inserted as the posting engine and reconciliation leave them (a posted closure, its
closure check and store-day check per store and day, a review now and then). Each month of the
year is then rendered `repeat` times, full page and htmx fragment, through the app in this
process (server time, no network). Target p95 <= 150 ms. The CPU line says how much of that time
this process ran (the database server's own work not counted): on a busy machine the rest is
waiting for a core.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from _rig import scratch_database

START = date(2026, 1, 1)


def fill(url: str, stores: int, days: int) -> tuple[int, str]:
    """A company, its stores and a year of rows; the company id and its admin's email."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from app.closures.models import Closure
    from app.db import make_engine, utcnow
    from app.reconcile.models import ClosureCheck, Review, StoreDayCheck
    from tests.factories import make_company, make_store, make_user

    engine = make_engine(url)
    with Session(engine) as s:
        company = make_company(s, "Grid AB", "556000-7777")
        made = [make_store(s, company, f"S{n:02d}", f"Butik {n}") for n in range(1, stores + 1)]
        codes = [(store.id, store.store_id) for store in made]
        make_user(s, "admin@grid.test", company, "admin")
        cid = company.id
    now = utcnow()
    closures, checks, days_, reviews = [], [], [], []
    pk = 0
    for d in range(days):
        day = START + timedelta(days=d)
        for spk, code in codes:
            pk += 1
            status = "matched" if pk % 97 else "mismatch"
            closures.append(dict(
                id=pk, company_id=cid, store_pk=spk, closure_id=f"g:{code}:{d}",
                revision=1, is_latest=True, store_code=code, register_id="R1",
                z_number=d + 1, business_date=day, payload={}, payload_hash="x", source="api",
                received_at=now, state="posted", state_reason="", hold_code="",
                state_changed_at=now, state_version=3, attempts=1, outcome_unknown=False,
                note="", voucher_series="A", voucher_number=pk, voucher_year=1, posted_at=now,
                nothing_to_book=False,
            ))  # fmt: skip
            checks.append(dict(company_id=cid, closure_pk=pk, business_date=day,
                               store_code=code, status=status, reason="",
                               state_version=3, detail={}, checked_at=now))  # fmt: skip
            days_.append(dict(company_id=cid, store_pk=spk, store_code=code,
                              business_date=day, status=status, differs=status != "matched",
                              pos_total=0, fortnox_total=0, detail={}, checked_at=now))  # fmt: skip
            if pk % 211 == 0:
                reviews.append(dict(company_id=cid, store_pk=spk, store_code=code,
                                    business_date=day, comment="ok", at=now))  # fmt: skip
    with engine.begin() as conn:
        for model, rows in ((Closure, closures), (ClosureCheck, checks),
                            (StoreDayCheck, days_), (Review, reviews)):  # fmt: skip
            for i in range(0, len(rows), 2000):
                conn.execute(sa.insert(model.__table__), rows[i : i + 2000])  # type: ignore[attr-defined]
    return cid or 0, "admin@grid.test"


def measure(url: str, stores: int, days: int, repeat: int) -> tuple[list[float], list[float]]:
    """Server and CPU times in ms of every month page and fragment, repeat times."""
    from app import create_app, freeze_heap
    from tests.factories import PASSWORD

    cid, email = fill(url, stores, days)
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
    freeze_heap()  # as wsgi.py does after start-up
    client = app.test_client()
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    months = sorted({(START + timedelta(days=d)).strftime("%Y-%m") for d in range(days)})
    times, cpu = [], []
    for _ in range(repeat):
        for month in months:
            for headers in ({}, {"HX-Request": "true"}):
                t, c = time.perf_counter(), time.process_time()
                answer = client.get(f"/c/{cid}/dashboard?month={month}", headers=headers)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                assert answer.status_code == 200, answer.status_code
    return times, cpu


def p95(values: list[float]) -> float:
    """The 95th percentile, as the bench has always taken it."""
    return sorted(values)[int(len(values) * 0.95)]


def main() -> int:
    """Measure on SQLite, then on PostgreSQL, and print the figures."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--stores", type=int, default=50)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    from tests import dbs

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "grid.db"
        dbs.migrate(f"sqlite:///{path}")
        results = {"SQLite": measure(f"sqlite:///{path}", args.stores, args.days, args.repeat)}
    with scratch_database() as url:
        results["PostgreSQL"] = measure(url, args.stores, args.days, args.repeat)
    size = f"{args.stores} stores x {args.days} days ({args.stores * args.days} closures)"
    print(f"grid                {size}, {args.repeat} x 12 months x page+fragment")
    for name, (times, cpu) in results.items():
        slow = p95(times)
        verdict = "OK" if slow <= 150 else "over"
        print(f"{name:12s}        p50 {statistics.median(times):.0f} ms, p95 {slow:.0f} ms, "
              f"max {max(times):.0f} ms  ({verdict} 150 ms)")  # fmt: skip
        print(f"  its CPU           p50 {statistics.median(cpu):.0f} ms, p95 {p95(cpu):.0f} ms, "
              f"max {max(cpu):.0f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
