"""How long matching a month takes: closures of N stores, their Adyen settlement report and the
camt.053 built from them (tests/clearing/month.py), on a scratch PostgreSQL database (or SQLite).

    .venv/bin/python bench/clearing_bench.py [--stores 50] [--repeat 3] [--sqlite]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from _rig import scratch_database


def run(url: str, stores: int, repeat: int) -> None:
    """Build the month in the database at url, then time matching it."""
    from sqlmodel import Session

    from app import create_app
    from app.clearing.read import roll_forwards, stored
    from app.clearing.service import compute, recompute
    from app.companies.models import Company
    from app.db import make_engine
    from tests.clearing.month import build_month, import_files, store_in_books

    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
    today = date(2026, 2, 20)
    with app.app_context(), Session(make_engine(url), expire_on_commit=False) as session:
        company = Company(name="Bench AB", orgnr="556000-0001")
        session.add(company)
        session.commit()
        began = time.perf_counter()
        built = build_month(stores=stores)
        store_in_books(session, company, built)
        import_files(session, company, built)  # the bank-imported event matches once
        print(
            f"built and imported {len(built.card)} store-days, {len(built.rows)} settlement "
            f"rows, {len(built.entries)} bank entries in {time.perf_counter() - began:.1f} s"
        )
        cid = company.id or 0
        for name, step in (
            ("match (load + pure matching)", lambda: compute(session, cid, today)),
            (
                "match and store the outcome",
                lambda: (recompute(session, cid, today), session.commit()),
            ),
            (
                "roll-forward of January",
                lambda: roll_forwards(*stored(session, cid), date(2026, 1, 1), date(2026, 1, 31)),
            ),
        ):
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                step()
                times.append(time.perf_counter() - start)
            best, median = min(times), statistics.median(times)
            print(
                f"{name:32} median {median * 1000:8.0f} ms  best {best * 1000:8.0f} ms  "
                f"per store {median * 1000 / stores:6.1f} ms"
            )
        out = compute(session, cid, today)
        print(
            f"{len(out.days)} days, {len(out.payouts)} payouts and deposits, "
            f"{len(out.unmatched)} bank credits unexplained"
        )


def main() -> None:
    """Parse the arguments and run on PostgreSQL (or SQLite)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stores", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    if args.sqlite:
        from tests.dbs import migrate

        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            migrate(url)
            run(url, args.stores, args.repeat)
        return
    with scratch_database() as url:
        run(url, args.stores, args.repeat)


if __name__ == "__main__":
    main()
