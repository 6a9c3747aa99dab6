"""Where a POST /api/v1/closures request's CPU goes: the app in process, under cProfile.

    .venv/bin/python bench/profile_ingest.py [--closures 500] [--top 40] [--sort tottime]

The app on a scratch PostgreSQL database and a private Redis (sync off, as ingest_bench), its
test client sending closures over 20 stores: CPU per request (resource.getrusage) without the
profiler, then the profile's top lines and SQL statements per request.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import resource
import time
from collections import Counter
from datetime import date, timedelta

from _rig import scratch_database
from ingest_bench import _company, durable
from profile_post import count_statements


def cpu() -> float:
    """CPU seconds (user + system) this process has used so far."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


STEPS = (  # (label, file's ending, function): cumulative time of each, as ms of plain CPU
    ("whole request (WSGI)", "flask/app.py", "wsgi_app"),
    ("  view create()", "closures/api.py", "create"),
    ("    token check", "closures/api.py", "token_and_company"),
    ("    parse + schema + storable", "closures/ingest.py", "ingest"),
    ("    _store (below)", "closures/ingest.py", "_store"),
    ("      closure lock", "closures/ingest.py", "serialize"),
    ("      revisions read", "closures/ingest.py", "_revisions"),
    ("      building the row", "closures/ingest.py", "_new_row"),
    ("      audit record", "audit/service.py", "record"),
    ("      posting hand-over", "closures/ingest.py", "hand_over"),
    ("      the answer's status", "closures/ingest.py", "_answer"),
    ("    commit", "orm/session.py", "commit"),
)


def steps(profile: cProfile.Profile, plain_ms: float) -> list[str]:
    """Each step's share of the profiled request, scaled to the unprofiled CPU per request."""
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in stats.values())
    packages: Counter = Counter()
    for (path, _line, _name), row in stats.items():
        where = path.split("site-packages/")[1].split("/")[0] if "site-packages/" in path else ""
        packages[where or ("app" if "/app/" in path else "other")] += row[2]
    lines = []
    for label, ending, func in STEPS:
        # Session.commit is the view's own (SessionTransaction.commit, the savepoints', is not).
        cum = sum(
            row[3]
            for (path, _line, name), row in stats.items()
            if name == func and path.endswith(ending) and (func != "commit" or _line > 2000)
        )
        lines.append(f"{label:34} {cum / total * plain_ms:5.2f} ms  {cum / total:6.1%}")
    shares = ", ".join(f"{k} {v / total:.1%}" for k, v in packages.most_common(7))
    return [*lines, f"by package (own time): {shares}"]


def main() -> int:
    """Send closures in process; print CPU per request and the profile's top lines."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--closures", type=int, default=500)
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    p.add_argument("--dump", default="", help="also write the raw profile here (for pstats)")
    args = p.parse_args()
    from app import create_app
    from tests.posting.sandbox_support import day_closure
    from tests.services import redis_server

    stores = [f"S{n:02d}" for n in range(1, 21)]
    rng = random.Random(3)
    bodies = [
        json.dumps(
            day_closure(stores[i % 20], 1 + i, str(date(2025, 1, 1) + timedelta(i // 20)), rng)
        ).encode()
        for i in range(3 * args.closures)
    ]
    redis_url, stop_redis = redis_server()
    try:
        with scratch_database() as url:
            durable(url)
            token = _company(url, stores)
            app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "REDIS_URL": redis_url})
            client = app.test_client()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

            def send(batch: list[bytes]) -> Counter:
                return Counter(
                    client.post("/api/v1/closures", data=b, headers=headers).status_code
                    for b in batch
                )

            n = args.closures
            send(bodies[:20])  # first requests build what every later one reuses
            before = cpu()
            codes = send(bodies[20 : n + 20])
            plain = cpu() - before
            statements = count_statements()
            codes += send(bodies[n + 20 : 2 * n])
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            codes += send(bodies[2 * n : 3 * n])
            profile.disable()
    finally:
        stop_redis()
    if args.dump:
        profile.dump_stats(args.dump)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).strip_dirs().sort_stats(args.sort).print_stats(args.top)
    print(f"answers             {dict(codes)}")
    print(f"CPU per request     {plain / n * 1000:.2f} ms (in process, no HTTP server)")
    print(out.getvalue())
    print("\n".join(steps(profile, plain / n * 1000)))
    per = 2 * n - 20  # requests sent while counting (the profiled ones too)
    print(f"SQL statements per request: {sum(statements.values()) / per:.1f}")
    for text, k in statements.most_common(20):
        print(f"{k / per:6.2f}  {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
