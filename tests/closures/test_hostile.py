"""Hostile bodies: each answered 4xx with a clear message, never 5xx, and kept for review."""

from __future__ import annotations

import base64
import copy
import json

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, func, select

from app.closures.models import Closure, RejectedPayload
from tests.closures.ingest_support import EXAMPLE, bearer, body, closure, make_token
from tests.factories import make_company, make_store

URL = "/api/v1/closures"
FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    company = make_company(session)
    make_store(session, company, "S12")
    return bearer(make_token(session, company))


def kept(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(RejectedPayload)).one()


def assert_refused(resp, session: Session, before: int, status: int | None = None) -> dict:
    """A 4xx JSON answer whose every problem has a pointer and a message, and one more kept."""
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.get_data()[:300])
    if status is not None:
        assert resp.status_code == status
    data = resp.get_json()
    assert data["message"] and data["errors"]
    for error in data["errors"]:
        assert isinstance(error["pointer"], str) and (
            error["pointer"] in ("",) or error["pointer"][0] == "/"
        )
        assert isinstance(error["message"], str) and len(error["message"]) > 10
    assert kept(session) == before + 1
    return data


def with_sale_field(field: str, value: object) -> bytes:
    payload = closure()
    payload["sales"][0][field] = value
    return body(payload)


HOSTILE: dict[str, bytes] = {
    "empty": b"",
    "whitespace": b" \n\t ",
    "truncated": body(EXAMPLE)[:-20],
    "not json": b"hello, Fortnox",
    "trailing garbage": body(EXAMPLE) + b" ]",
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "deep objects": b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    "huge integer": b'{"z_number": ' + b"9" * 5_000 + b"}",
    "huge z_number": body(closure(z_number=10**40)),
    "huge revision": body(closure(revision=2**31)),
    "float amount": with_sale_field("gross", 10000.0),
    "exponent amount": body(closure()).replace(b'"1840.00"', b"1.84e3", 1),
    "nan": body(closure()).replace(b'"1840.00"', b"NaN", 1),
    "infinity": body(closure()).replace(b'"1840.00"', b"-Infinity", 1),
    "duplicate key": b'{"closure_id": "a", "closure_id": "b"}',
    "array": body([EXAMPLE, EXAMPLE]),
    "string": b'"closure"',
    "null": b"null",
    "number": b"42",
    "missing fields": body({"schema": "kassabok.closure/1"}),
    "wrong types": body(closure(z_number="457", sales={}, payments=None)),
    "long closure_id": body(closure(closure_id="x" * 10_000)),
    "latin-1": body(closure(register_id="Kassa å")).decode().encode("latin-1"),
    "utf-16": body(EXAMPLE).decode().encode("utf-16"),
    "nul in string": body(closure(register_id="R\x001")),
    "raw nul byte": b'{"closure_id": "a\x00b"}',
    "lone surrogate": body(closure()).replace(b'"Kalle Ek"', b'"\\ud800"'),
    "control chars": b'{"closure_id": "a\x07\x1b[31m"}',
    "bidi override": body(closure(store_id="S12\u202e")),
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_body_is_refused_and_kept(
    client: FlaskClient, session: Session, headers, raw
) -> None:
    before = kept(session)
    resp = client.post(URL, data=raw, headers=headers, content_type="application/json")
    assert_refused(resp, session, before)
    assert session.exec(select(func.count()).select_from(Closure)).one() == 0


def test_bytes_that_are_not_utf8_are_kept_exactly(client, session, headers) -> None:
    raw = HOSTILE["latin-1"]
    resp = client.post(URL, data=raw, headers=headers, content_type="application/json")
    assert "not UTF-8" in resp.get_json()["errors"][0]["message"]
    item = session.exec(select(RejectedPayload)).one()
    assert base64.b64decode(item.raw_b64) == raw and "Kassa" in item.raw


def test_a_nul_is_kept_as_bytes_beside_readable_text(client, session, headers) -> None:
    client.post(URL, data=HOSTILE["raw nul byte"], headers=headers, content_type="application/json")
    item = session.exec(select(RejectedPayload)).one()
    assert "\x00" not in item.raw and base64.b64decode(item.raw_b64) == HOSTILE["raw nul byte"]


def test_specific_messages(client, session, headers) -> None:
    def first(name: str) -> dict:
        raw = HOSTILE[name]
        resp = client.post(URL, data=raw, headers=headers, content_type="application/json")
        return resp.get_json()["errors"][0]

    assert "nested more than" in first("deep nesting")["message"]
    assert first("huge z_number") == {
        "pointer": "/z_number",
        "message": "z_number is too large; send at most 2147483647.",
    }
    assert "JSON number" in first("float amount")["message"]
    assert first("lone surrogate")["pointer"] == "/invoice_sales/0/your_reference"
    assert "empty" in first("empty")["message"]


def test_unicode_that_is_valid_is_stored(client, session, headers) -> None:
    payload = closure()
    payload["invoice_sales"][0]["customer_name"] = "Ärlig Åkeri 🍰 \u202e ﷽"
    resp = client.post(URL, data=body(payload), headers=headers, content_type="application/json")
    assert resp.status_code == 201
    stored = session.exec(select(Closure)).one()
    assert stored.payload["invoice_sales"][0]["customer_name"] == "Ärlig Åkeri 🍰 \u202e ﷽"


@FAST
@given(raw=st.binary(max_size=2_000))
def test_random_bytes_are_refused(client, session, headers, raw: bytes) -> None:
    before = kept(session)
    resp = client.post(URL, data=raw, headers=headers, content_type="application/json")
    assert_refused(resp, session, before)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@FAST
@given(value=JSON)
def test_random_json_is_refused(client, session, headers, value: object) -> None:
    before = kept(session)
    raw = json.dumps(value).encode()
    resp = client.post(URL, data=raw, headers=headers, content_type="application/json")
    assert_refused(resp, session, before, status=422)


def _leaves(value: object, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*path, i))]
    return [path]


LEAVES = _leaves(EXAMPLE)


@FAST
@given(where=st.sampled_from(LEAVES), value=JSON, n=st.integers(0, 10**6))
def test_a_mutated_closure_is_answered_never_5xx(client, session, headers, where, value, n) -> None:
    payload = copy.deepcopy(EXAMPLE)
    payload["closure_id"] = f"mut-{n}"
    target = payload
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    before = kept(session)
    resp = client.post(URL, data=body(payload), headers=headers, content_type="application/json")
    assert resp.status_code in (200, 201, 409, 422), resp.get_data()[:300]
    if resp.status_code >= 400:
        assert_refused(resp, session, before)
