"""A chunked body (no Content-Length) over the limit is refused with 413, its start kept."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from app.closures.models import Closure, RejectedPayload
from tests.closures.ingest_support import bearer, body, closure, make_token
from tests.factories import make_company, make_store

URL = "/api/v1/closures"


class Trickle(io.BytesIO):
    """A request body as a server hands a chunked one over: a few bytes per read."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(7_000 if size is None or size < 0 else min(size, 7_000))


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    company = make_company(session)
    make_store(session, company, "S12")
    return {**bearer(make_token(session, company)), "Content-Type": "application/json"}


def send_chunked(client: FlaskClient, headers: dict[str, str], data: bytes):
    """POST data as gunicorn passes a chunked body: no Content-Length, input terminated."""
    return client.post(
        URL,
        input_stream=Trickle(data),
        headers={**headers, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_valid_closure_padded_past_the_limit_is_413_not_201(
    app: Flask, client: FlaskClient, session: Session, headers: dict[str, str]
) -> None:
    sent = body(closure()) + b" " * (5 * 1024 * 1024)
    resp = send_chunked(client, headers, sent)
    assert resp.status_code == 413, resp.get_json()
    assert "larger than the limit of 2097152 bytes" in resp.get_json()["message"]
    assert session.exec(select(Closure)).all() == []
    [kept] = session.exec(select(RejectedPayload)).all()
    assert kept.status_code == 413 and kept.truncated
    assert kept.raw.startswith(body(closure()).decode()) and len(kept.raw) == 64 * 1024


def test_a_chunked_body_exactly_at_the_limit_is_read_whole(
    app: Flask, client: FlaskClient, session: Session, headers: dict[str, str]
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    exact = body(closure())
    exact += b" " * (50_000 - len(exact))
    assert send_chunked(client, headers, exact).status_code == 201
    over = body(closure(closure_id="another"))
    over += b" " * (50_001 - len(over))
    assert send_chunked(client, headers, over).status_code == 413
