"""The worker's app and sessions: one app per process, one session of its own per job."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_app_context
from sqlmodel import Session

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
    from worker.warm import compile_statements

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
