"""Full-size soak: 2,000 closures over 40 stores through faults, a SIGKILL, expiry and FLUSHALL.

    .venv/bin/python bench/soak.py [--closures 2000] [--stores 40] [--workers 2]

The scenario of tests/soak/test_soak.py at full size; prints the figures and whether every
closure ended with exactly one voucher.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from _rig import rig


def main() -> int:
    """Run the soak and print its figures."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--closures", type=int, default=2000)
    p.add_argument("--stores", type=int, default=40)
    p.add_argument("--timeout", type=float, default=3600, help="seconds to settle, at most")
    p.add_argument("--stall", type=float, default=180, help="give up after so long without a post")
    args = p.parse_args()
    from tests.soak.test_soak import run_soak

    with rig(args.stores, (1000, 1.0), rate_count=1000, rate_window=1.0, slow_seconds=0.5) as r:
        figures = run_soak(r, args.closures, timeout=args.timeout, stage=300, stall=args.stall)
        r.stop_workers()
        found = r.vouchers_by_key()
        twice = sum(1 for n in found.values() if n > 1)
        started = time.monotonic()
        summary = r.reconcile(date(2026, 1, 1), date(2026, 12, 31))
        print(f"closures          {args.closures} over {args.stores} stores")
        print(f"states            {figures['states']}")
        print(
            f"posting time      {figures['seconds']} s ({args.closures / figures['seconds']:.1f}/s)"
        )
        flush = f"{figures['after_flush']} s to settle; {figures['posted_at_flush']} posted before"
        print(f"after FLUSHALL    {flush}")
        print(f"killed mid-job    {figures['killed_mid_job']}; reconnects {figures['reconnects']}")
        print(f"sandbox answers   {figures['answers']} (total {figures['requests']})")
        print(f"requests/closure  {figures['requests'] / args.closures:.2f}")
        print(f"vouchers          {sum(found.values())} for {len(found)} keys; twice: {twice}")
        print(f"reconcile         {summary.text()} in {time.monotonic() - started:.1f} s")
        ok = twice == 0 and figures["states"] == {"posted": args.closures}
        print("RESULT            " + ("OK: exactly one voucher per closure" if ok else "NOT OK"))
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
