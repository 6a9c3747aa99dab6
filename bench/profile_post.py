"""Where a posted closure's worker CPU goes: rq's worker loop run in this process under cProfile.

    .venv/bin/python bench/profile_post.py [--closures 200] [--stores 10] [--top 30]

A rig (scratch PostgreSQL, private Redis, sandbox at a generous rate) takes closures in; a few are
posted first so reference data is cached. Then the worker's own loop (`python -m worker --simple`'s
class, in burst mode) posts the backlog twice over: once plain, to measure this process's CPU per
closure (resource.getrusage, not wall time), once under cProfile for the top lines.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import time
from collections import Counter

from _rig import rig

WARM = 5


def cpu() -> float:
    """CPU seconds (user + system) this process has used so far."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def drain(queue_names: list[str]) -> None:
    """Run the worker's loop in this process until the queues are empty."""
    from worker.__main__ import burst_worker
    from worker.context import app

    with app().app_context():
        burst_worker(queue_names, f"profile-{os.getpid()}", level="WARNING")


def count_statements() -> Counter:
    """Count every SQL statement any engine runs from now on, by its first 110 characters."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: Counter = Counter()

    @event.listens_for(Engine, "before_cursor_execute")
    def _count(conn, cursor, statement, params, context, executemany):  # noqa: ANN001
        seen[" ".join(statement.split())[:110]] += 1

    return seen


def main() -> int:
    """Post a backlog in process; print CPU per closure and the profile's top lines."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--closures", type=int, default=200)
    p.add_argument("--stores", type=int, default=10)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--sql", action="store_true", help="count SQL statements per closure")
    p.add_argument("--dump", default="", help="also write the raw profile here (for pstats)")
    p.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    args = p.parse_args()
    with rig(args.stores, (1000, 1.0), rate_count=1000, rate_window=1.0) as r:
        os.environ.update(r.env)  # worker.context.app() reads the rig's database and Redis
        r.ingest(r.closures(WARM, seed=99, start=50_000))
        drain(["sync"])
        r.ingest(r.closures(args.closures, seed=1))
        before = cpu()
        drain(["sync"])
        plain = cpu() - before
        r.ingest(r.closures(args.closures, seed=3, start=2 * args.closures))
        statements = count_statements() if args.sql else Counter()
        drain(["sync"])
        statements = Counter(statements)  # the post jobs' alone (the listener keeps counting)
        r.ingest(r.closures(args.closures, seed=2, start=args.closures))
        profile = cProfile.Profile(time.process_time)  # CPU, not wall: waits are not cost
        profile.enable()
        drain(["sync"])
        profile.disable()
        states = dict(r.states())
    if args.dump:
        profile.dump_stats(args.dump)
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)
    total = 3 * args.closures + WARM
    print(f"closures            {args.closures} plain + {args.closures} profiled ({states})")
    per = plain / args.closures * 1000
    print(f"worker CPU          {plain:.2f} s ({per:.1f} ms per posted closure, in process)")
    print(out.getvalue())
    if statements:
        per = args.closures
        print(f"SQL statements per post job: {sum(statements.values()) / per:.1f}")
        for text, n in statements.most_common(25):
            print(f"{n / per:6.2f}  {text}")
    return 0 if states == {"posted": total} else 1


if __name__ == "__main__":
    raise SystemExit(main())
