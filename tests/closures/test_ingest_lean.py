"""A closure's way in stays lean: few statements, and the 201's status is still the board's."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlmodel import Session, col, select

from app.closures.models import Closure, ClosureState
from app.closures.statuses import statuses_of
from app.db import make_engine
from tests.closures.ingest_support import bearer, body, closure, make_token
from tests.factories import make_company, make_store

URL = "/api/v1/closures"
# Token, store with the closure's lock (SQLite: its write lock first), any revision, INSERT,
# the row for posting, its savepoint, annotate and release, the audit append (PostgreSQL: lock,
# then one INSERT that chains itself; SQLite: INSERT, last hash, UPDATE). One more is a
# regression: find it before raising these.
MOST = {"postgresql": 10, "sqlite": 12}


def _post(client, headers: dict, z_number: int, **changes) -> dict:
    """Send the café closure with another Z number; the 201's body."""
    payload = closure(closure_id=f"opn-7731:S12:R1:Z{z_number}", z_number=z_number, **changes)
    answer = client.post(URL, data=body(payload), headers=headers, content_type="application/json")
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_a_new_closure_takes_few_statements_and_never_reads_a_check(app, client, session):
    """The answer's status of a revision stored a moment ago is known without reading."""
    company = make_company(session, sync_sales=False)
    make_store(session, company, "S12")
    headers = bearer(make_token(session, company))
    _post(client, headers, 1)  # the first request builds what later ones reuse
    seen: list[str] = []

    def spy(_conn, _cursor, statement: str, *_args) -> None:
        seen.append(" ".join(statement.split()))

    engine = make_engine(app.config["DATABASE_URL"])
    event.listen(engine, "before_cursor_execute", spy)
    try:
        _post(client, headers, 2)
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    assert not [s for s in seen if "closurecheck" in s.lower()], seen
    assert len(seen) <= MOST[engine.dialect.name], "\n".join(s[:80] for s in seen)
    # The audit trail's one lock is held from the append to the commit: append last.
    writes = [s for s in seen if s.startswith(("INSERT", "UPDATE", "SELECT pg_advisory"))]
    assert "auditevent" in writes[-1] and "auditevent" not in writes[0], writes


@pytest.mark.parametrize(
    "settings",
    [{"sync_sales": False}, {"sync_sales": True}, {"sync_sales": True, "approve_first": True}],
    ids=["sync off", "not connected", "approve first, not connected"],
)
def test_the_201s_status_is_the_one_the_board_gives(client, session: Session, settings) -> None:
    """Parked, held or waiting: what the POS is told on arrival is what the board says after."""
    company = make_company(session, **settings)
    make_store(session, company, "S12")
    headers = bearer(make_token(session, company))
    said = _post(client, headers, 7)
    session.expire_all()
    row = session.exec(select(Closure).where(col(Closure.z_number) == 7)).one()
    assert said["posting_state"] == row.state
    assert said["status"] == statuses_of(session, [row.id or 0])[row.id or 0]


def test_a_revision_after_posting_is_told_superseded_as_the_board_says(client, session) -> None:
    """A newer revision of a posted closure waits for its correction: the board's superseded."""
    company = make_company(session, sync_sales=True)
    make_store(session, company, "S12")
    headers = bearer(make_token(session, company))
    _post(client, headers, 8)
    first = session.exec(select(Closure)).one()
    first.state, first.voucher_series, first.voucher_number, first.voucher_year = (
        ClosureState.POSTED,
        "K",
        1,
        2026,
    )
    session.add(first)
    session.commit()
    said = _post(client, headers, 8, revision=2)
    session.expire_all()
    newer = session.exec(select(Closure).where(col(Closure.revision) == 2)).one()
    assert said["status"] == statuses_of(session, [newer.id or 0])[newer.id or 0]
    assert said["posting_state"] == newer.state
