"""`python -m worker`: an rq worker on Kassabok's queues, with rq's scheduler and a minute tick."""

from __future__ import annotations

import argparse
import os
import time
import uuid

from rq import SimpleWorker, Worker

from app.queue import QUEUES


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(prog="python -m worker", description=__doc__)
    p.add_argument("--queues", default=",".join(QUEUES), help="comma-separated, in priority order")
    p.add_argument("--burst", action="store_true", help="run what is due, then exit")
    p.add_argument(
        "--drain",
        action="store_true",
        help="like --burst, but keep going until no closure is queued or posting",
    )
    p.add_argument("--simple", action="store_true", help="run jobs in this process (no fork)")
    p.add_argument("--name", default="", help="worker name (default: host-pid-random)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the worker until stopped (or, with --burst/--drain, until there is nothing to do)."""
    args = parse(argv)
    from worker.tasks import app

    flask_app = app()
    names = [q.strip() for q in args.queues.split(",") if q.strip()]
    with flask_app.app_context():
        from app.queue import get_queue

        queues = [get_queue(name) for name in names]
        cls = SimpleWorker if args.simple else Worker
        if not (args.burst or args.drain):
            from worker.schedule import schedule_next_tick

            schedule_next_tick()
            cls(queues, connection=queues[0].connection, name=args.name or None).work(
                with_scheduler=True
            )
            return 0
        while True:
            name = f"{args.name or 'kb'}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
            cls(queues, connection=queues[0].connection, name=name).work(
                burst=True, with_scheduler=True
            )
            if not args.drain or not _unsettled():
                return 0
            time.sleep(0.2)


def _unsettled() -> bool:
    """True while the database still has closures queued or being posted."""
    from sqlmodel import Session, select

    from app.closures.models import Closure, ClosureState
    from app.db import get_engine

    with Session(get_engine()) as session:
        waiting = (ClosureState.QUEUED, ClosureState.POSTING)
        found = session.exec(select(Closure.id).where(Closure.state.in_(waiting))).first()
        return found is not None


if __name__ == "__main__":
    raise SystemExit(main())
