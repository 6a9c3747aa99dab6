"""Many closures against the sandbox with a third of requests failing: one voucher each.

The sandbox here allows far more than Fortnox's 25 requests per 5 s (and the app's budget
matches), so the test measures the engine under faults, not the rate limit.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session, select

from app.closures.models import Closure, ClosureState
from tests.posting.sandbox_support import (
    day_closure,
    drain,
    run_workers,
    use_bas,
    vouchers_by_key,
    worker_env,
)
from tests.sandbox_fixtures import fortnox_company  # noqa: F401

S = ClosureState
WORKERS = 4


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    """A sandbox of its own with a generous rate limit."""
    from sandbox.testing import SandboxServer

    with SandboxServer(rate_count=5000, rate_window=1.0) as server:
        yield server


@pytest.fixture
def books(app, session: Session, fortnox_company, monkeypatch):  # noqa: F811
    """The connected company, the BAS mapping, quick retries and a matching rate budget."""
    app.config.update(FORTNOX_RATE_COUNT=5000, FORTNOX_RATE_WINDOW=1.0)
    monkeypatch.setenv("KASSABOK_POSTING_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("KASSABOK_POSTING_BACKOFF_MAX", "0.5")
    monkeypatch.setenv("KASSABOK_POSTING_MAX_ATTEMPTS", "40")
    use_bas(session, fortnox_company.company)
    return fortnox_company


def _post_many(app, session, books, receive, count: int, seed: int, workers: int = 0) -> None:
    """count closures over two stores and many days, posted with a third of requests failing."""
    rng = random.Random(seed)
    closures = []
    for i in range(count):
        store = ("S12", "S14")[i % 2]
        day = f"2026-{1 + i % 11:02d}-{1 + (i // 2) % 28:02d}"
        closures.append(receive(books.company, day_closure(store, 1000 + i, day, rng)))
    assert {c.state for c in closures} == {S.QUEUED}
    books.sandbox.faults(0.33, ["429", "500", "503", "lost_response"], seed)
    env = worker_env(app, books.sandbox, FORTNOX_RATE_COUNT="5000", FORTNOX_RATE_WINDOW="1")
    try:
        if workers:
            run_workers(env, workers, "--drain", "--simple", timeout=600)
        else:
            drain(app, session, timeout=170)
    finally:
        books.sandbox.faults(0.0, [], 0)
    session.expire_all()
    states = {c.id: c.state for c in session.exec(select(Closure)).all()}
    assert set(states.values()) == {S.POSTED}
    found = vouchers_by_key(books)
    assert len(found) == count and all(len(v) == 1 for v in found.values())
    for closure in session.exec(select(Closure)).all():
        (only,) = found[f"KB:{closure.store_code}-Z{closure.z_number}-r1"]
        assert only["VoucherNumber"] == closure.voucher_number  # recorded what Fortnox holds


def test_faults_leave_exactly_one_voucher_each(app, session, books, receive):
    _post_many(app, session, books, receive, 40, seed=11)


@pytest.mark.slow
def test_300_closures_under_faults_exactly_one_voucher_each(app, session, books, receive) -> None:
    _post_many(app, session, books, receive, 300, seed=29, workers=WORKERS)
