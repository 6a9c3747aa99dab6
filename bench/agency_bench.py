"""An agency's night: N companies, each its own Fortnox tenant and budget, one with a huge backlog.

    .venv/bin/python bench/agency_bench.py [--companies 200] [--big 2000] [--small 20]
        [--workers 4] [--stores 2] [--count 25] [--window 5] [--no-baseline]

Every company is its own sandbox tenant with its own token, so its own rate budget of `count`
requests per `window` seconds (Fortnox's 25 per 5 s by default; Kassabok's budget the same).
Two runs on the same workers (`python -m worker`, as in production):

1. baseline: the N-1 small companies' closures alone (`--small` each);
2. skewed: company 1's `--big` closures taken in first, then the small companies' again.

Printed per company: when its last closure posted (seconds from worker start) and the share of
its budget it used while it had work. Then the summary: do the small companies finish within
2x their baseline time; total throughput against min(sum of budgets, what the CPU allows); 429s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import UTC, datetime
from typing import Any

import psutil
from _rig import rig

WARM = 2


def posted_times(r: Any, companies: list[Any], since: float) -> dict[int, tuple[int, float]]:
    """company id -> (closures posted, seconds from since to its last post)."""
    from sqlalchemy import func
    from sqlmodel import select

    from app.closures.models import Closure

    r.session.expire_all()
    ids = [c.id for c in companies]
    after = datetime.fromtimestamp(since, UTC)
    rows = r.session.exec(
        select(Closure.company_id, func.count(), func.max(Closure.posted_at))
        .where(Closure.company_id.in_(ids), Closure.state == "posted")  # type: ignore[attr-defined]
        .where(Closure.posted_at >= after)  # type: ignore[operator]
        .group_by(Closure.company_id)
    ).all()
    return {cid: (n, last.timestamp() - since if last else 0.0) for cid, n, last in rows}


def post_stamps(r: Any, since: float) -> list[float]:
    """When each closure posted since `since` (epoch seconds)."""
    from sqlmodel import select

    from app.closures.models import Closure

    after = datetime.fromtimestamp(since, UTC)
    query = select(Closure.posted_at).where(Closure.posted_at >= after)  # type: ignore[operator]
    return [t.timestamp() for t in r.session.exec(query).all()]


def posted_at(stamps: list[float], since: float, within: float) -> list[float]:
    """The stamps at most `within` seconds after since."""
    return [t for t in stamps if t - since <= within]


def ours(r: Any, procs: list[psutil.Process]) -> list[psutil.Process]:
    """The processes this run pays for: workers, the sandbox, Redis and our database's backends."""
    found = list(procs)
    db = r.database_url.rsplit("/", 1)[-1]
    port = r.redis_url.rsplit(":", 1)[-1].split("/")[0]
    for p in psutil.process_iter(["cmdline", "name"]):
        line = " ".join(p.info["cmdline"] or [])
        if (db in line and "postgres" in line) or ("redis-server" in line and port in line):
            found.append(p)
    if r.sandbox.process is not None:
        found.append(psutil.Process(r.sandbox.process.pid))
    return found


def cpu_of(procs: list[psutil.Process]) -> float:
    """CPU seconds (user + system, reaped children too) of procs; the gone count as 0."""
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


def run(r: Any, name: str, total: int, workers: int, timeout: float) -> dict[str, Any]:
    """Start the workers, wait until total closures are posted; times and CPU."""
    r.sandbox.reset_stats()
    names = [f"{name}{n}" for n in range(workers)]
    procs = [psutil.Process(r.start_worker(n).pid) for n in names]
    while not all(_registered(r, n) for n in names):
        time.sleep(0.05)
    start_cpu = cpu_of(procs)
    everyone = ours(r, procs)
    all_cpu0 = cpu_of(everyone)
    started, wall = time.monotonic(), time.time()
    last_sweep = started
    while time.monotonic() - started < timeout:
        posted = r.session.exec(_posted_count()).one()
        if posted >= total:
            break
        if time.monotonic() - last_sweep > 60:
            r.sweep()
            last_sweep = time.monotonic()
        time.sleep(0.5)
    elapsed = time.monotonic() - started
    cpu, all_cpu = cpu_of(procs) - start_cpu, cpu_of(everyone) - all_cpu0
    stats = r.sandbox.stats()
    r.stop_workers()
    too_many = sum(per.get("429", 0) for per in stats["endpoints"].values())
    return {"start": wall, "elapsed": elapsed, "cpu": cpu, "all_cpu": all_cpu, "429": too_many}


def _registered(r: Any, name: str) -> bool:
    from rq import Worker

    from app.queue import get_redis

    with r.app.app_context():
        return any(w.name == name for w in Worker.all(connection=get_redis()))


def _posted_count() -> Any:
    from sqlalchemy import func
    from sqlmodel import select

    from app.closures.models import Closure

    return select(func.count()).where(Closure.state == "posted")


def report(title: str, times: dict[int, tuple[int, float]], budget: float) -> None:
    """Per company: closures, when its last posted, its share of the budget while it worked."""
    print(f"\n{title}: company  closures  last post (s)  share of budget")
    for cid, (n, last) in sorted(times.items()):
        share = n / (max(last, 0.001) * budget)
        print(f"  {cid:>5}  {n:>8}  {last:>13.1f}  {min(share, 1.0):>7.1%}")


def main() -> int:
    """Both runs and the summary."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--companies", type=int, default=200)
    p.add_argument("--big", type=int, default=2000)
    p.add_argument("--small", type=int, default=20)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--stores", type=int, default=20, help="per company; one closure each a night")
    p.add_argument("--count", type=int, default=25)
    p.add_argument("--window", type=float, default=5.0)
    p.add_argument("--no-baseline", action="store_true")
    p.add_argument("--quiet", action="store_true", help="summary only, no per-company lines")
    args = p.parse_args()
    budget = args.count / args.window
    flags = {"rate_count": args.count, "rate_window": args.window}
    setup = time.monotonic()
    with rig(args.stores, (args.count, args.window), **flags) as r:
        os.environ.update(r.env)
        companies = [r.company] + [
            r.add_company(f"Klient {n} AB")[0] for n in range(2, args.companies + 1)
        ]
        big, smalls = companies[0], companies[1:]
        print(f"set up {len(companies)} companies in {time.monotonic() - setup:.0f} s")
        for c in companies:  # reference data (financial years) cached, as after a first night
            r.ingest(r.closures(WARM, seed=99, start=90_000), company=c)
        done = run(r, "warm", WARM * len(companies), args.workers, 600)
        print(f"warm-up: {done}")
        base: dict[int, tuple[int, float]] = {}
        posted = WARM * len(companies)
        if not args.no_baseline:
            for c in smalls:
                r.ingest(r.closures(args.small, seed=c.id, start=0), company=c)
            posted += args.small * len(smalls)
            b = run(r, "base", posted, args.workers, 3600)
            base = posted_times(r, smalls, b["start"])
            print(f"baseline (small companies alone): {b}")
        r.ingest(r.closures(args.big, seed=1, start=10_000), company=big)
        for c in smalls:
            r.ingest(r.closures(args.small, seed=c.id, start=50_000), company=c)
        total = args.big + args.small * len(smalls)
        s = run(r, "skew", posted + total, args.workers, args.big / budget * 3 + 600)
        skew = posted_times(r, companies, s["start"])
        r_times = post_stamps(r, s["start"])
    if not args.quiet:
        report("baseline", base, budget)
        report("skewed", skew, budget)
    smalls_last = [skew[c.id][1] for c in smalls if c.id in skew]
    print("\nsummary")
    print(f"companies           {args.companies} ({args.big} + {args.small} each x {len(smalls)})")
    print(f"workers             {args.workers}; budget {args.count} per {args.window:g} s each")
    if base:
        ratios = [skew[c.id][1] / max(base[c.id][1], 0.001) for c in smalls if c.id in base]
        slow = sum(1 for x in ratios if x > 2)
        print(
            f"small: last post   skewed median {statistics.median(smalls_last):.1f} s, "
            f"max {max(smalls_last):.1f} s; baseline max {max(v[1] for v in base.values()):.1f} s"
        )
        print(
            f"within 2x alone?   {len(ratios) - slow}/{len(ratios)} "
            f"(worst {max(ratios):.2f}x, median {statistics.median(ratios):.2f}x)"
        )
    n_big, big_last = skew[big.id]
    print(
        f"big company         {n_big} posted, last at {big_last:.1f} s "
        f"({n_big / big_last / budget:.1%} of its budget)"
    )
    throughput = total / s["elapsed"]
    # The rig's CPU per closure while CPU, not a budget, is the limit: the baseline's, where
    # every company has work (the skewed run's tail is one company waiting on its budget).
    per_cpu = b["all_cpu"] / (args.small * len(smalls)) if base else s["all_cpu"] / total
    cpu_rate = (os.cpu_count() or 1) / per_cpu
    ceiling = min(budget * args.companies, cpu_rate)
    shared_end = max(smalls_last)  # until then every company had work
    shared = len(posted_at(r_times, s["start"], shared_end))
    print(f"throughput          {throughput:.1f} closures/s in {s['elapsed']:.1f} s (whole run)")
    print(
        f"  all companies     {shared / shared_end:.1f}/s in the first {shared_end:.1f} s, "
        f"{shared / shared_end / ceiling:.1%} of the ceiling below; after that the big "
        "company alone is held to its budget"
    )
    print(
        f"worker CPU          {s['cpu'] / total * 1000:.1f} ms per closure (skewed run, idle "
        "waits for the big company's budget included)"
    )
    if base:
        print(
            f"  baseline          {b['cpu'] / (args.small * len(smalls)) * 1000:.1f} ms per closure"
        )
    print(
        "rig CPU             whole rig "
        f"(workers, sandbox, PostgreSQL, Redis) {per_cpu * 1000:.1f} ms"
        + (" in the baseline" if base else "")
    )
    print(
        f"ceiling             min(sum of budgets {budget * args.companies:.0f}/s, CPU allows "
        f"{cpu_rate:.1f}/s on {os.cpu_count()} cores) = {ceiling:.1f}/s"
    )
    print(f"429 answers         {s['429']}")
    print(f"load average        {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
