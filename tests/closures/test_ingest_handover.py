"""Ingest hands posting the revisions it read under the closure's lock: each is superseded."""

from __future__ import annotations

from sqlmodel import Session, select

from app.closures.models import Closure, ClosureState
from tests.closures.ingest_support import bearer, body, closure, make_token
from tests.factories import make_company, make_store

URL = "/api/v1/closures"


def test_each_new_revision_supersedes_every_older_one(client, session: Session) -> None:
    """Revisions 1, 2, 3 in turn: 1 and 2 end superseded by 3, which alone is the latest."""
    company = make_company(session)
    make_store(session, company, "S12")
    headers = bearer(make_token(session, company))
    for revision in (1, 2, 3):
        answer = client.post(
            URL,
            data=body(closure(revision=revision)),
            headers=headers,
            content_type="application/json",
        )
        assert answer.status_code == 201, answer.get_json()
    session.expire_all()
    rows = session.exec(select(Closure).order_by(Closure.revision)).all()  # type: ignore[arg-type]
    assert [(c.revision, c.is_latest) for c in rows] == [(1, False), (2, False), (3, True)]
    assert [c.state for c in rows[:2]] == [ClosureState.SUPERSEDED] * 2
    assert {c.superseded_by_id for c in rows[:2]} == {rows[2].id}
    assert rows[2].state != ClosureState.SUPERSEDED
