"""Thin job functions: take ids, open an app context and a session, call an app service."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_app_context
from rq import Retry
from sqlmodel import Session, select

log = logging.getLogger(__name__)
_apps: dict[tuple[str, str], Flask] = {}
_pid = os.getpid()


def app() -> Flask:
    """The app for this process's DATABASE_URL and REDIS_URL, built once."""
    key = (os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", ""))
    if has_app_context() and current_app.config.get("DATABASE_URL") in (key[0], None):
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if key not in _apps:
        from app import create_app

        _apps[key] = create_app()
        with _apps[key].app_context():
            try:
                _warm()
            except Exception:  # only a speed-up: the jobs build what they lack themselves
                log.exception("warming the worker up failed")
    return _apps[key]


def _warm() -> None:
    """Build now what each forked job would otherwise build again and throw away.

    rq runs every job in a work horse forked from this process: modules imported, the engine
    with its dialect, the TLS context and compiled statements made here come to it for free.
    """
    import gc

    import httpx

    import app.posting.corrections
    import app.posting.engine
    import app.reconcile.service  # noqa: F401
    from app.db import get_engine
    from app.fortnox.client import ssl_context
    from app.posting.warm import compile_statements

    httpx.HTTPTransport(verify=ssl_context()).close()  # httpx loads its transport lazily
    engine = get_engine()
    with Session(engine) as session:
        compile_statements(session)
    engine.dispose()  # the horses open their own connections
    gc.freeze()  # what exists now is never collected: a horse does not copy it by touching it


@contextmanager
def session_scope() -> Iterator[Session]:
    """An app context and a session of its own, for one job."""
    global _pid
    flask_app = app()
    with flask_app.app_context():
        from app.db import get_engine

        engine = get_engine()
        if os.getpid() != _pid:  # a forked job must not share the parent's pooled connections
            engine.dispose(close=False)
            _pid = os.getpid()
        # One connection for the whole job: each commit would otherwise hand it back to the
        # pool and the next statement check one out again (a ping and a reset each time).
        with engine.connect() as connection, Session(connection, expire_on_commit=False) as s:
            yield s


def post_closure(closure_pk: int) -> str | Retry:
    """Post one queued closure (safe to run twice: the state's compare-and-set picks one).

    Its company's budget is claimed first (worker/fair.py): without a free slot the job comes
    back when one frees up (rq's Retry), and the worker goes on to another company's job.
    """
    from app.posting.engine import post_closure as post
    from worker.fair import RETRY_MAX, turn

    claim = turn()
    with session_scope() as session:
        try:
            outcome = post(session, closure_pk, admit=claim)
        finally:
            claim.close()
    if outcome == "busy":
        return Retry(max=RETRY_MAX, interval=claim.retry_in())
    return outcome


def check_posted(company_id: int, day: str) -> int | Retry:
    """Check the store-days of a company's day that posts noted (app/posting/aftercheck.py).

    It waits in the company's line behind its posts, so it comes once they are done; a read
    it makes spends the slot its turn reserved.
    """
    from datetime import date

    from app.posting.aftercheck import run
    from worker.fair import RETRY_MAX, turn

    claim = turn()
    with session_scope() as session:
        try:
            if claim(company_id) > 0:
                return Retry(max=RETRY_MAX, interval=claim.retry_in())
            return run(session, company_id, date.fromisoformat(day))
        finally:
            claim.close()


def correct_closure(closure_pk: int, acknowledged: bool = False) -> str:
    """Undo a superseded closure's voucher and documents, then queue its newer revision."""
    from app.posting.corrections import run_correction
    from app.queue import get_redis

    with session_scope() as session:
        lock = get_redis().lock(f"kassabok:correct:{closure_pk}", timeout=600)
        if not lock.acquire(blocking=False):
            return "busy"
        try:
            return run_correction(session, closure_pk, acknowledged=acknowledged)
        finally:
            lock.release()


def sweep() -> dict:
    """Re-enqueue closures the queue lost or a dead worker left posting (and their Z-reports)."""
    from app.attachments.jobs import sweep as attachments
    from worker.sweeper import sweep as run

    with session_scope() as session:
        return {**run(session), "attachments": attachments(session)}


def tick() -> dict:
    """Every minute: sweep, start tonight's checks and the morning's digest once, tick again."""
    from worker.schedule import schedule_digest, schedule_next_tick, schedule_nightly

    result = sweep()
    with session_scope():
        schedule_nightly()
        schedule_digest()
        schedule_next_tick()
    return result


def nightly_all() -> int:
    """Enqueue the nightly checks of every company."""
    from app.companies.models import Company
    from app.queue import get_queue

    with session_scope() as session:
        ids = session.exec(select(Company.id)).all()
        for company_id in ids:
            get_queue("reconcile").enqueue("worker.tasks.nightly", company_id)
        return len(ids)


def nightly(company_id: int) -> dict:
    """Re-run pre-flight and reconciliation for one company, with whatever of them exists."""
    import importlib

    done: dict[str, object] = {}
    for module, name in (
        ("app.fortnox.jobs", "nightly_preflight"),
        ("app.reconcile.jobs", "nightly_reconcile"),
        ("app.reports.jobs", "nightly_prune"),
    ):
        try:
            func = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            done[name] = "not available"
            continue
        with session_scope():
            done[name] = func(company_id)
    return done
