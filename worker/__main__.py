"""`python -m worker`: an rq worker on Kassabok's queues, with rq's scheduler and a minute tick.

rq hands the scheduler to another worker only at its maintenance, and the killed holder's lock
lives on for rq's TTL (a minute), so maintenance runs every WORKER_MAINTENANCE_SECONDS rather
than rq's ten minutes; each maintenance also schedules the tick again if Redis lost it.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid

from app.queue import QUEUES
from worker.context import app
from worker.tasks import sweep
from worker.workers import KassabokForkWorker, KassabokWorker, build


def worker_class(fork: bool) -> type:
    """The in-process worker, or rq's forking one when asked for."""
    return KassabokForkWorker if fork else KassabokWorker


def long_running(cls: type, queues: list, name: str | None) -> object:
    """A worker whose maintenance (so scheduler takeover) comes every few seconds, idle or not."""
    from app.posting.jobs import setting

    return build(cls, queues, name, max(int(setting("WORKER_MAINTENANCE_SECONDS", 15)), 1))


def burst_worker(
    queue_names: list[str], name: str, fork: bool = False, level: str = "INFO"
) -> bool:
    """Run what is due on queue_names (within the companies' budgets), then return."""
    from app.queue import get_queue

    queues = [get_queue(n) for n in queue_names]
    worker = worker_class(fork)(queues, connection=queues[0].connection, name=name)
    return worker.work(burst=True, with_scheduler=True, logging_level=level)


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
    p.add_argument(
        "--sweep",
        action="store_true",
        help="sweep once (what the minute tick does: re-enqueue what Redis lost), print, exit",
    )
    p.add_argument(
        "--fork", action="store_true", help="fork a work horse per job (rq's default; slower)"
    )
    p.add_argument("--simple", action="store_true", help="run jobs in this process (the default)")
    p.add_argument("--name", default="", help="worker name (default: host-pid-random)")
    p.add_argument(
        "--log-level",
        default="INFO",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="rq's log: INFO shows every job and maintenance, WARNING only what went wrong",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the worker until stopped (or, with --burst/--drain, until there is nothing to do)."""
    args = parse(argv)
    flask_app = app()
    names = [q.strip() for q in args.queues.split(",") if q.strip()]
    with flask_app.app_context():
        from app.queue import get_queue

        if args.sweep:
            print(" ".join(f"{k}={v}" for k, v in sweep().items()))
            return 0
        if not (args.burst or args.drain):
            queues = [get_queue(name) for name in names]
            worker = long_running(worker_class(args.fork), queues, args.name or None)
            worker.work(with_scheduler=True, logging_level=args.log_level)  # type: ignore[attr-defined]
            return 0
        while True:
            name = f"{args.name or 'kb'}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
            burst_worker(names, name, args.fork, args.log_level)
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
