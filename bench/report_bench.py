"""Time and size of a one-month audit report: 50 stores x 30 days (1,500 closures), scratch SQLite.

    .venv/bin/python bench/report_bench.py [--stores 50] [--days 30] [--lang sv] [--out FILE]

Seeds a fresh database (not timed), then times build_pdf (read, fingerprint, render, write).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    """Seed, build, print seconds and megabytes."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--stores", type=int, default=50)
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--lang", default="sv", choices=["sv", "en"])
    p.add_argument("--out", default="")
    args = p.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    url = f"sqlite:///{work / 'bench.db'}"
    os.environ.update(KASSABOK_ENV="testing", DATABASE_URL=url, REDIS_URL="")
    from sqlmodel import Session

    from app import create_app
    from app.db import make_engine
    from app.reports.data import Scope
    from app.reports.pdf import build_pdf
    from tests.dbs import migrate
    from tests.factories import make_company, make_store
    from tests.reports.sample import mark_reconciled, seed_month

    migrate(url)
    app = create_app({"DATABASE_URL": url, "REPORTS_DIR": str(work / "reports")})
    first = date(2026, 10, 1)
    with app.app_context(), Session(make_engine(url), expire_on_commit=False) as session:
        t0 = time.perf_counter()
        company = make_company(session)
        stores = [
            make_store(session, company, f"S{n:02d}", f"Butik {n:02d}") for n in range(args.stores)
        ]
        seed_month(session, company, stores, first, args.days)
        mark_reconciled(session, company)
        seeded = time.perf_counter() - t0
        t1, cpu = time.perf_counter(), time.process_time()
        stages: list[tuple[str, float]] = []
        scope = Scope(company.id or 0, first, date(2026, 10, args.days))
        built = build_pdf(
            session,
            company=company,
            scope=scope,
            language=args.lang,
            ordered_by="bench@kassabok.se",
            ordered_at=datetime.now(UTC),
            progress=lambda _pct, stage: stages.append((stage, time.perf_counter() - t1)),
        )
        took, cpu = time.perf_counter() - t1, time.process_time() - cpu
    out = Path(args.out or work / "report.pdf")
    out.write_bytes(built.pdf)
    print(f"seeded {built.closures} closures in {seeded:.1f} s")
    print("stages (s since start): " + ", ".join(f"{name} {at:.1f}" for name, at in stages))
    print(
        f"report: {args.stores} stores x {args.days} days = {built.closures} closures, "
        f"{built.pages} pages, {len(built.pdf) / 1e6:.2f} MB, built in {took:.1f} s "
        f"({cpu:.1f} s of CPU; target < 15 s) -> {out}"
    )


if __name__ == "__main__":
    main()
