"""Connecting through the sandbox's consent page, links, state checks, and disconnecting."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from flask import Flask
from sqlmodel import Session, select

from app import crypto
from app.audit.models import AuditEvent
from app.fortnox.models import FortnoxConnection
from tests.factories import make_company, make_store, make_user
from tests.fortnox.helpers import consent, query
from tests.sandbox_fixtures import CLIENT_ID, CLIENT_SECRET, point_app_at


@pytest.fixture
def setup(app: Flask, session: Session, sandbox: Any) -> dict:
    """A company with a store, its admin signed in, and a seeded tenant to connect to."""
    sandbox.reset()
    point_app_at(app, sandbox)
    company = make_company(session, invoice=True)
    make_store(session, company, "S12")
    make_user(session, "admin@example.com", company, "admin")
    make_user(session, "acc@example.com", company, "accountant")
    tenant = sandbox.create_tenant("Café Centrum AB", company.orgnr)
    return {"company": company, "tenant": tenant, "sandbox": sandbox}


def _connection(session: Session, company_id: int) -> FortnoxConnection | None:
    session.expire_all()
    return session.exec(
        select(FortnoxConnection).where(FortnoxConnection.company_id == company_id)
    ).first()


def _actions(session: Session) -> list[str]:
    return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def _refresh_works(sandbox: Any, refresh_token: str) -> bool:
    answer = httpx.post(
        f"{sandbox.url}/oauth-v1/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    return answer.status_code == 200


def test_connect_then_disconnect(client, auth, session: Session, setup: dict) -> None:
    company, tenant = setup["company"], setup["tenant"]
    auth.login("admin@example.com")
    start = client.get(f"/c/{company.id}/fortnox/authorize")
    assert start.status_code == 303
    scope = "bookkeeping%20costcenter%20companyinformation%20settings%20archive%20connectfile"
    assert f"scope={scope}" in start.location
    asked = query(start.location)
    assert asked["access_type"] == "offline" and asked["response_type"] == "code"
    assert set(asked["scope"].split()) == {
        "bookkeeping",
        "costcenter",
        "companyinformation",
        "settings",
        "archive",
        "connectfile",
        "invoice",
        "customer",
    }
    assert asked["redirect_uri"] == "http://localhost/fortnox/callback" and asked["state"]

    back = client.get(consent(start.location, tenant))
    assert back.status_code == 303 and back.location.endswith(f"/c/{company.id}/fortnox/")
    conn = _connection(session, company.id)
    assert conn is not None and conn.status == "connected"
    assert conn.database_number == str(tenant) and conn.fortnox_name == "Café Centrum AB"
    with client.application.app_context():
        refresh_token = crypto.decrypt(conn.refresh_token_enc)
    assert refresh_token and refresh_token not in conn.refresh_token_enc
    assert conn.preflight, "the checks ran right after connecting"
    page = client.get(f"/c/{company.id}/fortnox/").get_data(as_text=True)
    assert 'id="connection-state"' in page and "Café Centrum AB" in page

    gone = client.post(f"/c/{company.id}/fortnox/disconnect")
    assert gone.status_code == 303
    conn = _connection(session, company.id)
    assert conn.status == "disconnected" and conn.refresh_token_enc == ""
    assert not _refresh_works(setup["sandbox"], refresh_token), "revoked at Fortnox"
    actions = _actions(session)
    assert "fortnox.connected" in actions and actions[-1] == "fortnox.disconnected"


def test_state_mismatch_is_refused(client, auth, session: Session, setup: dict) -> None:
    company, tenant = setup["company"], setup["tenant"]
    auth.login("admin@example.com")
    back = consent(client.get(f"/c/{company.id}/fortnox/authorize").location, tenant)
    tampered = back.replace(f"state={query(back)['state']}", "state=forged")
    refused = client.get(tampered)
    assert refused.status_code == 400 and 'id="refused-reason"' in refused.get_data(as_text=True)
    assert _connection(session, company.id) is None
    # The pending state was used up: the genuine answer no longer works either.
    assert client.get(back).status_code == 400
    assert _connection(session, company.id) is None


def test_callback_in_another_browser_is_refused(app: Flask, client, auth, setup: dict) -> None:
    auth.login("admin@example.com")
    back = consent(client.get(f"/c/{setup['company'].id}/fortnox/authorize").location, 1)
    stranger = app.test_client()
    assert stranger.get(back).status_code == 400


def test_denied_consent_connects_nothing(client, auth, session: Session, setup: dict) -> None:
    company = setup["company"]
    auth.login("admin@example.com")
    start = client.get(f"/c/{company.id}/fortnox/authorize").location
    refused = client.get(consent(start, setup["tenant"], decision="deny"))
    assert refused.status_code == 400
    assert _connection(session, company.id) is None
    assert "fortnox.consent_denied" in _actions(session)


def test_accountant_may_not_connect(client, auth, setup: dict) -> None:
    auth.login("acc@example.com")
    company_id = setup["company"].id
    assert client.get(f"/c/{company_id}/fortnox/authorize").status_code == 403
    assert client.post(f"/c/{company_id}/fortnox/disconnect").status_code == 403
    assert client.post(f"/c/{company_id}/fortnox/links").status_code == 403
    assert client.get(f"/c/{company_id}/fortnox/").status_code == 200


def test_link_works_once_without_login(app: Flask, client, auth, session, setup: dict) -> None:
    company, tenant = setup["company"], setup["tenant"]
    auth.login("admin@example.com")
    made = client.post(f"/c/{company.id}/fortnox/links", headers={"HX-Request": "true"})
    html = made.get_data(as_text=True)
    assert "<html" not in html
    url = html.split('id="auth-link-url">')[1].split("<")[0]
    path = url.removeprefix("http://localhost")

    outsider = app.test_client()  # the customer's Fortnox admin: no Kassabok login
    assert company.name in outsider.get(path).get_data(as_text=True)
    go = outsider.get(path + "/go")
    assert go.status_code == 303
    done = outsider.get(consent(go.location, tenant))
    assert done.status_code == 200 and 'id="connected-to"' in done.get_data(as_text=True)
    assert _connection(session, company.id).status == "connected"

    assert outsider.get(path).status_code == 410
    assert app.test_client().get(path + "/go").status_code == 410


def test_orgnr_mismatch_is_a_red_line(client, auth, session: Session, setup: dict) -> None:
    company = setup["company"]
    other = setup["sandbox"].create_tenant("Helt Annat AB", "559999-0000")
    auth.login("admin@example.com")
    back = consent(client.get(f"/c/{company.id}/fortnox/authorize").location, other)
    client.get(back)
    page = client.get(f"/c/{company.id}/fortnox/").get_data(as_text=True)
    assert "559999-0000" in page and "differs" in page
    assert 'id="orgnr-mismatch"' in page and 'data-check="orgnr" data-ok="false"' in page
    assert 'data-check="connection" data-ok="true"' in page
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "fortnox.connected")).one()
    assert event.detail["orgnr_differs"] is True


def test_cli_authorize_url_and_status(runner, session: Session, setup: dict) -> None:
    out = runner.invoke(args=["fortnox", "authorize-url", "--company", setup["company"].orgnr])
    assert out.exit_code == 0, out.output
    assert out.output.strip().startswith("http://localhost/fortnox/authorize/")
    status = runner.invoke(args=["fortnox", "status", "--company", setup["company"].orgnr])
    assert status.exit_code == 0 and '"connected": false' in status.output
