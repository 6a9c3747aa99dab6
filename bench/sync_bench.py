"""A backlog of closures against Fortnox's rate limit (window scaled down): rate used, 429s, calls.

    .venv/bin/python bench/sync_bench.py [--closures 1000] [--count 25] [--window 1] [--workers 2]

The sandbox allows `count` requests per `window` seconds per token, like Fortnox's 25 per 5 s;
Kassabok's budget (FORTNOX_RATE_COUNT/WINDOW) is set to the same. A few closures are posted first
so reference data is cached; then the backlog is taken in and the workers drain it.
Targets: >= 95 % of the allowed rate, zero 429s, <= 1.05 requests per closure.
"""

from __future__ import annotations

import argparse
import time

from _rig import rig


def main() -> int:
    """Drain the backlog and print the figures."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--closures", type=int, default=1000)
    p.add_argument("--count", type=int, default=25)
    p.add_argument("--window", type=float, default=1.0)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--stores", type=int, default=10)
    args = p.parse_args()
    allowed = args.count / args.window
    flags = {"rate_count": args.count, "rate_window": args.window}
    with rig(args.stores, (args.count, args.window), **flags) as r:
        r.ingest(r.closures(5, seed=99, start=50_000))
        for n in range(args.workers):
            r.start_worker(f"w{n + 1}")
        r.settle(5, timeout=60)
        r.ingest(r.closures(args.closures, seed=1))
        r.sandbox.reset_stats()
        started = time.monotonic()
        states = r.settle(
            args.closures + 5, timeout=args.closures / allowed * 4 + 60, sweep_every=0.5
        )
        elapsed = time.monotonic() - started
        stats = r.sandbox.stats()
        r.stop_workers()
    total = stats["total"]
    too_many = sum(per.get("429", 0) for per in stats["endpoints"].values())
    achieved = total / elapsed
    print(f"closures            {args.closures} ({args.workers} workers, {args.stores} stores)")
    print(f"states              {dict(states)}")
    print(f"elapsed             {elapsed:.1f} s")
    print(f"requests            {total}  ({total / args.closures:.3f} per closure)")
    share = achieved / allowed
    print(f"achieved rate       {achieved:.2f}/s of {allowed:.2f}/s allowed ({share:.1%})")
    print(f"429 answers         {too_many}")
    for endpoint, per in sorted(stats["endpoints"].items()):
        print(f"  {endpoint:40s} {per}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
