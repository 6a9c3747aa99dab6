"""/healthz: 200 when the database and Redis answer, 503 naming the part that does not."""

from __future__ import annotations

import logging

UP = {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthy_without_signing_in(client) -> None:
    """An anonymous GET answers 200 with each part ok, and starts no session."""
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == UP
    assert "Set-Cookie" not in answer.headers
    assert answer.headers["Cache-Control"] == "no-store"


def test_redis_unreachable_is_503(app, client, caplog) -> None:
    """With Redis down the check says so (503), and neither answer nor log shows its password."""
    app.config["REDIS_URL"] = "redis://:hunter2-secret@127.0.0.1:1/0"
    with caplog.at_level(logging.DEBUG):
        answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "unavailable", "database": "ok", "redis": "unavailable"}
    assert b"hunter2" not in answer.data and "hunter2" not in caplog.text


def test_database_unreachable_is_503(app, client, tmp_path) -> None:
    """With the database gone the check says so (503) while Redis is still ok."""
    app.config["DATABASE_URL"] = f"sqlite:///{tmp_path}/no/such/dir/kassabok.db"
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "unavailable", "database": "unavailable", "redis": "ok"}


def test_nothing_but_states_is_told(client) -> None:
    """The answer names the parts and their states, nothing more (no versions, no hosts)."""
    answer = client.get("/healthz")
    assert set(answer.get_json()) == set(UP)
    assert client.post("/healthz").status_code == 405
