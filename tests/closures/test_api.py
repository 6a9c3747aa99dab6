"""POST /api/v1/closures and GET /api/v1/closures/<id>: every answer the SPEC names."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.closures.models import Closure, RejectedPayload
from app.companies.models import ApiToken, Company
from app.db import utcnow
from tests.closures.ingest_support import bearer, body, closure, make_token
from tests.factories import make_company, make_store

URL = "/api/v1/closures"


@pytest.fixture
def company(session: Session) -> Company:
    """The café company with its store S12."""
    company = make_company(session)
    make_store(session, company, "S12")
    make_store(session, company, "S14", name="Café Hamnen")
    return company


@pytest.fixture
def headers(session: Session, company: Company) -> dict[str, str]:
    """A valid token's Authorization header."""
    return bearer(make_token(session, company))


def post(client: FlaskClient, headers: dict[str, str], payload: object, **kw):
    """POST a payload as JSON."""
    return client.post(URL, data=body(payload), headers=headers, content_type="application/json")


def rows(session: Session) -> list[Closure]:
    session.expire_all()
    return list(session.exec(select(Closure).order_by(Closure.revision)).all())


def rejected(session: Session) -> list[RejectedPayload]:
    session.expire_all()
    return list(session.exec(select(RejectedPayload).order_by(RejectedPayload.id)).all())


def test_new_closure_is_201_with_its_status_url(client, session, headers) -> None:
    resp = post(client, headers, closure())
    assert resp.status_code == 201
    data = resp.get_json()
    assert data["closure_id"] == "opn-7731:S12:R1:Z457"
    assert data["revision"] == 1
    assert data["status"] in {"pending", "held"}  # the board's status
    assert data["posting_state"] in {"received", "held", "awaiting_approval", "queued"}
    assert data["url"].endswith("/api/v1/closures/opn-7731:S12:R1:Z457")
    assert resp.headers["Location"] == data["url"]
    [row] = rows(session)
    assert (row.store_code, row.z_number, row.is_latest, row.source) == ("S12", 457, True, "api")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "closure.received")).one()
    assert event.detail["revision"] == 1 and event.actor.startswith("api token")


def test_the_very_same_closure_again_is_200_and_stored_once(client, session, headers) -> None:
    first = post(client, headers, closure())
    # The same content, keys in another order and other whitespace: still the same closure.
    reordered = json.dumps(dict(reversed(list(closure().items()))), indent=2).encode()
    again = client.post(
        URL, data=reordered, headers=headers, content_type="application/json; charset=utf-8"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["closure_id"] == first.get_json()["closure_id"]
    assert len(rows(session)) == 1
    assert rejected(session) == []


def test_omitted_revision_means_revision_1(client, session, headers) -> None:
    payload = closure()
    del payload["revision"]
    assert post(client, headers, closure()).status_code == 201
    assert post(client, headers, payload).status_code == 200


def test_a_higher_revision_is_201_and_becomes_the_latest(client, session, headers) -> None:
    assert post(client, headers, closure()).status_code == 201
    corrected = closure(revision=2, rounding="-0.04")
    corrected["payments"][0]["amount"] = "1839.99"
    corrected["cash_count"]["expected"] = "1839.99"
    resp = post(client, headers, corrected)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["revision"] == 2
    old, new = rows(session)
    assert (old.revision, old.is_latest, new.revision, new.is_latest) == (1, False, 2, True)


def test_same_revision_with_other_content_is_409_and_kept(client, session, headers) -> None:
    post(client, headers, closure())
    changed = closure(register_id="R2")
    resp = post(client, headers, changed)
    assert resp.status_code == 409
    [error] = resp.get_json()["errors"]
    assert error["pointer"] == "/revision"
    assert "revision 1 was already received" in error["message"]
    assert "revision 2" in error["message"]
    [kept] = rejected(session)
    assert (kept.status_code, kept.closure_id) == (409, "opn-7731:S12:R1:Z457")
    assert '"R2"' in kept.raw
    assert rows(session)[0].register_id == "R1"


def test_a_lower_revision_than_the_latest_is_409(client, session, headers) -> None:
    post(client, headers, closure(revision=3))
    resp = post(client, headers, closure(revision=2))
    assert resp.status_code == 409
    assert "newer revision (3)" in resp.get_json()["errors"][0]["message"]
    assert [r.revision for r in rows(session)] == [3]
    assert rejected(session)[0].status_code == 409


def test_invalid_closure_is_422_with_every_problem(client, session, headers) -> None:
    payload = closure()
    payload["sales"][0]["gross"] = "10000.01"
    payload["payments"][1]["amount"] = 9550.0
    del payload["z_number"]
    resp = post(client, headers, payload)
    assert resp.status_code == 422
    errors = resp.get_json()["errors"]
    pointers = {e["pointer"] for e in errors}
    assert {"/z_number", "/payments/1/amount"} <= pointers
    assert all(e["message"] for e in errors)
    [kept] = rejected(session)
    assert kept.status_code == 422 and kept.errors == errors
    assert kept.closure_id == "opn-7731:S12:R1:Z457"
    assert rows(session) == []


def test_balance_problem_is_named_by_pointer(client, session, headers) -> None:
    payload = closure()
    payload["sales"][0]["gross"] = "10000.01"
    resp = post(client, headers, payload)
    assert resp.status_code == 422
    assert "/sales/0/gross" in {e["pointer"] for e in resp.get_json()["errors"]}


def test_unknown_store_is_422_naming_the_known_stores(client, session, headers) -> None:
    resp = post(client, headers, closure(store_id="S99"))
    assert resp.status_code == 422
    [error] = resp.get_json()["errors"]
    assert error["pointer"] == "/store_id"
    assert '"S99"' in error["message"] and "S12, S14" in error["message"]
    assert rejected(session)[0].errors == [error]


@pytest.mark.parametrize(
    "auth",
    [None, "Basic dXNlcjpwdw==", "Bearer ", "Bearer wrong-token"],
    ids=["missing", "basic", "empty", "wrong"],
)
def test_without_a_valid_token_it_is_401(client, session, company, auth) -> None:
    headers = {"Authorization": auth} if auth else {}
    for resp in (post(client, headers, closure()), client.get(f"{URL}/x", headers=headers)):
        assert resp.status_code == 401
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")
        assert "token" in resp.get_json()["message"]
    assert rows(session) == []


def test_a_revoked_token_is_401_and_use_is_recorded(client, session, company, headers) -> None:
    assert post(client, headers, closure()).status_code == 201
    token = session.exec(select(ApiToken)).one()
    session.refresh(token)
    assert token.last_used_at is not None
    token.revoked_at = utcnow()
    session.add(token)
    session.commit()
    assert post(client, headers, closure()).status_code == 401


def test_oversized_body_is_413_and_its_start_kept(app: Flask, client, session, headers) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 100_000
    payload = closure(note="x" * 200_000)
    resp = post(client, headers, payload)
    assert resp.status_code == 413
    assert "more than the limit of 100000" in resp.get_json()["message"]
    [kept] = rejected(session)
    assert kept.status_code == 413 and kept.truncated
    assert kept.size == len(body(payload)) and len(kept.raw) == 64 * 1024


def test_a_form_post_is_415(client, session, headers) -> None:
    resp = client.post(URL, data={"closure": "x"}, headers=headers)
    assert resp.status_code == 415
    assert "application/json" in resp.get_json()["errors"][0]["message"]
    assert rejected(session)[0].status_code == 415


def test_status_of_a_closure(client, session, company, headers) -> None:
    post(client, headers, closure())
    resp = client.get(f"{URL}/opn-7731:S12:R1:Z457", headers=headers)
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["closure_id"] == "opn-7731:S12:R1:Z457" and data["revision"] == 1
    assert data["status"] in {"pending", "held"}
    assert data["posting_state"] in {"received", "held", "awaiting_approval", "queued"}
    keys = {"closure_id", "revision", "status", "posting_state", "reason", "voucher", "invoices"}
    assert set(data) == keys | {"attachment"}  # the Z-report on the voucher (issue 16.1)
    assert data["voucher"] is None and data["invoices"] == [] and data["attachment"] is None


def test_status_is_scoped_to_the_tokens_company(client, session, company, headers) -> None:
    post(client, headers, closure())
    other = make_company(session, name="Annat AB", orgnr="556000-0001")
    other_headers = bearer(make_token(session, other, "kb_other_token"))
    assert client.get(f"{URL}/opn-7731:S12:R1:Z457", headers=other_headers).status_code == 404
    assert client.get(f"{URL}/nope", headers=headers).status_code == 404


def test_status_of_a_given_revision(client, session, headers) -> None:
    post(client, headers, closure())
    post(client, headers, closure(revision=2))
    latest = client.get(f"{URL}/opn-7731:S12:R1:Z457", headers=headers).get_json()
    first = client.get(f"{URL}/opn-7731:S12:R1:Z457?revision=1", headers=headers).get_json()
    assert (latest["revision"], first["revision"]) == (2, 1)


def test_a_held_closures_status_gives_the_reason_in_english_words(
    client, session, company, headers
) -> None:
    post(client, headers, closure())
    data = client.get(f"{URL}/opn-7731:S12:R1:Z457", headers=headers).get_json()
    assert data["status"] == "held"
    assert data["reason"].startswith("Fortnox connection lost — reconnect.")  # not the codes
    assert "The company has no account mapping yet." in data["reason"]
