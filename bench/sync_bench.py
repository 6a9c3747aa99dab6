"""A backlog of closures against Fortnox's rate limit (window scaled down): rate used, 429s, calls.

    .venv/bin/python bench/sync_bench.py [--closures 1000] [--count 25] [--window 5] [--workers 4]

The sandbox allows `count` requests per `window` seconds per token, like Fortnox's 25 per 5 s;
Kassabok's budget (FORTNOX_RATE_COUNT/WINDOW) is set to the same. A few closures are posted first
so reference data (financial years, pre-flight) is cached; the workers are stopped, the backlog is
taken in, and fresh workers (`python -m worker`, as in production) drain it.
Targets: >= 95 % of the allowed rate, zero 429s, <= 1.05 requests per closure.
"""

from __future__ import annotations

import argparse
import os
import time

from _rig import rig

WARM = 5


def cpu_seconds(pid: int) -> float:
    """CPU a process and its reaped children (rq's work horses) used so far, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def wait_registered(r, names: list[str], timeout: float = 120) -> None:
    """Wait until every named worker has started (registered in Redis): its start-up is done."""
    from rq import Worker

    from app.queue import get_redis

    deadline = time.monotonic() + timeout
    with r.app.app_context():
        while time.monotonic() < deadline:
            if set(names) <= {w.name for w in Worker.all(connection=get_redis())}:
                return
            time.sleep(0.05)


def drain(r, total: int, timeout: float) -> tuple[dict, float, float]:
    """Wait until total closures are posted: (states, seconds since start, since first request).

    Sweeps once a minute, as the worker's own tick does (a sweep reads every queued closure).
    """
    started = time.monotonic()
    first = last_sweep = None
    while time.monotonic() - started < timeout:
        now = time.monotonic()
        if first is None and r.sandbox.stats()["total"]:
            first = now
        states = r.states()
        if states.get("posted", 0) >= total:
            break
        if now - (last_sweep or started) >= 60:
            r.sweep()
            last_sweep = now
        time.sleep(0.2)
    end = time.monotonic()
    return dict(states), end - started, end - (first or started)


def main() -> int:
    """Drain the backlog and print the figures."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--closures", type=int, default=1000)
    p.add_argument("--count", type=int, default=25)
    p.add_argument("--window", type=float, default=5.0)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--stores", type=int, default=10)
    p.add_argument(
        "--fork", dest="worker_flags", action="store_const", const=["--fork"], default=[]
    )
    args = p.parse_args()
    allowed = args.count / args.window
    flags = {"rate_count": args.count, "rate_window": args.window}
    with rig(args.stores, (args.count, args.window), **flags) as r:
        r.ingest(r.closures(WARM, seed=99, start=50_000))
        r.start_worker("warm")
        r.settle(WARM, timeout=120)
        r.kill("warm")
        r.ingest(r.closures(args.closures, seed=1))
        r.sandbox.reset_stats()
        names = [f"w{n + 1}" for n in range(args.workers)]
        procs = [r.start_worker(name, "sync", *args.worker_flags) for name in names]
        launch = sum(cpu_seconds(p.pid) for p in procs)
        wait_registered(r, names)
        cpu0 = sum(cpu_seconds(p.pid) for p in procs)
        timeout = args.closures / allowed * 3 + 120
        states, elapsed, span = drain(r, args.closures + WARM, timeout)
        stats = r.sandbox.stats()
        cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu0
        r.stop_workers()
    total = stats["total"]
    posted = states.get("posted", 0) - WARM
    too_many = sum(per.get("429", 0) for per in stats["endpoints"].values())
    print(f"closures            {args.closures} ({args.workers} workers, {args.stores} stores)")
    print(f"allowed             {args.count} per {args.window:g} s = {allowed:.2f}/s")
    print(f"states              {states}")
    print(f"elapsed             {elapsed:.1f} s from worker start, {span:.1f} s from 1st request")
    print(f"requests            {total}  ({total / max(posted, 1):.3f} per posted closure)")
    achieved, overall = total / span, total / elapsed
    share = achieved / allowed
    print(f"achieved rate       {achieved:.2f}/s of {allowed:.2f}/s allowed ({share:.1%})")
    print(f"  incl. start-up    {overall:.2f}/s ({overall / allowed:.1%})")
    print(f"429 answers         {too_many}")
    per = cpu / max(posted, 1) * 1000
    print(f"worker CPU          {cpu:.1f} s ({per:.1f} ms per closure, start-up not counted)")
    print(f"  start-up          {(cpu0 - launch) / args.workers:.1f} s per worker, once")
    for endpoint, per in sorted(stats["endpoints"].items()):
        print(f"  {endpoint:40s} {per}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
