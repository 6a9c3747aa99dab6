"""Identical POSTs racing against a live server end as one stored closure, never two."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlmodel import Session, select
from werkzeug.serving import make_server

from app.closures.models import Closure
from tests.closures.ingest_support import body, closure, make_token
from tests.factories import make_company, make_store

ROUNDS = 8


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    """The app behind a real threaded HTTP server on a free port."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


def _send(url: str, token: str, data: bytes) -> int:
    request = urllib.request.Request(
        f"{url}/api/v1/closures",
        data=data,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _race(url: str, token: str, bodies: list[bytes]) -> list[int]:
    """Send the bodies at the same instant from one thread each; their status codes."""
    barrier = threading.Barrier(len(bodies))
    codes: list[int] = [0] * len(bodies)

    def run(i: int) -> None:
        barrier.wait()
        codes[i] = _send(url, token, bodies[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return codes


def test_racing_identical_posts_store_one_row(server: str, session: Session) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    token = make_token(session, company)
    for n in range(ROUNDS):
        data = body(closure(closure_id=f"race-{n}", z_number=1000 + n))
        assert sorted(_race(server, token, [data, data])) == [200, 201]
    session.expire_all()
    ids = session.exec(select(Closure.closure_id)).all()
    assert sorted(ids) == sorted(f"race-{n}" for n in range(ROUNDS))


def test_racing_revisions_leave_one_latest(server: str, session: Session) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    token = make_token(session, company)
    for n in range(ROUNDS):
        cid = f"rev-race-{n}"
        bodies = [body(closure(closure_id=cid, revision=r)) for r in (2, 3)]
        codes = _race(server, token, bodies)
        assert codes[1] == 201 and codes[0] in (201, 409)
    session.expire_all()
    latest = session.exec(select(Closure).where(Closure.is_latest.is_(True))).all()
    assert sorted((c.closure_id, c.revision) for c in latest) == [
        (f"rev-race-{n}", 3) for n in range(ROUNDS)
    ]


def test_two_sessions_racing_through_ingest_store_one_row(app: Flask, session: Session) -> None:
    from app.closures.ingest import ingest
    from app.companies.models import Company
    from app.db import make_engine

    company = make_company(session)
    make_store(session, company, "S12")
    engine = make_engine(app.config["DATABASE_URL"])

    def race(bodies: list[bytes]) -> list[int]:
        barrier = threading.Barrier(len(bodies))
        codes = [0] * len(bodies)

        def run(i: int) -> None:
            with app.app_context(), Session(engine, expire_on_commit=False) as own:
                mine = own.get(Company, company.id)
                barrier.wait()
                codes[i] = ingest(own, company=mine, raw=bodies[i], source="cli").status_code
                own.commit()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return codes

    for n in range(ROUNDS):
        same = body(closure(closure_id=f"svc-{n}"))
        assert sorted(race([same, same])) == [200, 201]
        revisions = [body(closure(closure_id=f"svc-rev-{n}", revision=r)) for r in (2, 3)]
        codes = race(revisions)
        assert codes[1] == 201 and codes[0] in (201, 409)
    session.expire_all()
    rows = session.exec(select(Closure)).all()
    assert (
        len([c for c in rows if c.closure_id.startswith("svc-") and "rev" not in c.closure_id])
        == ROUNDS
    )
    latest = sorted(
        (c.closure_id, c.revision) for c in rows if c.is_latest and "rev" in c.closure_id
    )
    assert latest == [(f"svc-rev-{n}", 3) for n in range(ROUNDS)]
