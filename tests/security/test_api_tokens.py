"""A POS token opens its own company's closures and reconciliation, nothing else."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app.companies.models import ApiToken
from tests.security.snapshot import snapshot
from tests.security.world import World, closure_payload, post_closure


def _get(client, token: str, path: str):
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def test_token_cannot_read_another_companys_closure(client, world: World) -> None:
    """The foreign closure_id is 404 with the home token, and readable with its own."""
    assert _get(client, world.home.token, "/api/v1/closures/sec:F1:Z100").status_code == 404
    assert _get(client, world.foreign.token, "/api/v1/closures/sec:F1:Z100").status_code == 200
    assert _get(client, world.foreign.token, "/api/v1/closures/sec:S1:Z100").status_code == 404


def test_token_cannot_post_into_another_company(client, session, world: World) -> None:
    """A closure for the foreign company's store, sent with the home token, is refused at home."""
    before = snapshot(session, world.foreign.company)
    answer = post_closure(client, world.home.token, closure_payload("F1", 777))
    assert answer.status_code == 422
    assert snapshot(session, world.foreign.company) == before
    # The same closure_id the foreign company uses is a separate closure at home, never theirs.
    same_id = closure_payload("S1", 778, closure_id="sec:F1:Z100")
    assert post_closure(client, world.home.token, same_id).status_code == 201
    assert snapshot(session, world.foreign.company) == before


def test_token_reconciliation_is_its_own_company(client, world: World) -> None:
    """?company= of another company is ignored for a token: the answer is the token's company."""
    query = f"company={world.foreign.orgnr}&from=2026-11-01&to=2026-11-30"
    answer = _get(client, world.home.token, f"/api/v1/reconciliation?{query}")
    assert answer.status_code == 200
    assert answer.json["company"] == world.home.orgnr
    assert b"F1" not in answer.data and b"sec:F1" not in answer.data


def test_bad_and_revoked_tokens_are_401(client, session, world: World) -> None:
    """No token, a made-up one, another scheme or a revoked one: 401 everywhere."""
    for headers in ({}, {"Authorization": "Bearer kb_nope"}, {"Authorization": "Basic eDp4"}):
        assert client.get("/api/v1/closures/sec:S1:Z100", headers=headers).status_code == 401
        assert client.post("/api/v1/closures", json={}, headers=headers).status_code == 401
    from app.db import utcnow

    row = session.get(ApiToken, world.home.token_id)
    row.revoked_at = utcnow()
    session.add(row)
    session.commit()
    assert _get(client, world.home.token, "/api/v1/closures/sec:S1:Z100").status_code == 401
    assert _get(client, world.home.token, "/api/v1/reconciliation").status_code == 401


def test_tokens_are_stored_hashed(session, world: World) -> None:
    """Neither token's plain text is in the database."""
    for row in session.exec(select(ApiToken)).all():
        text = repr(row.model_dump())
        assert world.home.token not in text and world.foreign.token not in text


def _last_used(session, token_id: int):
    """The token's last_used_at as stored."""
    session.expire_all()
    return session.get(ApiToken, token_id).last_used_at


def test_last_used_is_written_at_most_once_a_minute(app, client, session, world: World) -> None:
    """Calls within a minute leave the token row alone; a call after a minute records itself."""
    from sqlalchemy import event

    from app.db import make_engine

    side = world.home
    assert _get(client, side.token, "/api/v1/closures/sec:S1:Z100").status_code == 200
    first = _last_used(session, side.token_id)
    assert first is not None
    updates: list[str] = []

    def spy(conn, cursor, statement: str, *args) -> None:
        if statement.lstrip().upper().startswith("UPDATE APITOKEN"):
            updates.append(statement)

    engine = make_engine(app.config["DATABASE_URL"])
    event.listen(engine, "before_cursor_execute", spy)
    try:
        for _n in range(3):
            assert _get(client, side.token, "/api/v1/closures/sec:S1:Z100").status_code == 200
        assert post_closure(client, side.token, closure_payload("S1", 901)).status_code == 201
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    assert updates == [] and _last_used(session, side.token_id) == first

    token = session.get(ApiToken, side.token_id)
    token.last_used_at = first - timedelta(seconds=61)
    session.add(token)
    session.commit()
    assert _get(client, side.token, "/api/v1/closures/sec:S1:Z100").status_code == 200
    assert _last_used(session, side.token_id) > first
