"""Refresh: before expiry or on a 401, one process at a time, saved first; refused means lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, select

from app import crypto
from app.audit.models import AuditEvent
from app.db import utcnow
from app.fortnox import api, tokens
from app.fortnox.errors import AuthLost
from tests.factories import make_user
from tests.fortnox.helpers import consent
from tests.sandbox_fixtures import CLIENT_ID, CLIENT_SECRET, FortnoxCompany

ROOT = Path(__file__).resolve().parents[2]


def token_posts(fc: FortnoxCompany) -> int:
    """Successful refreshes the sandbox answered since its stats were reset."""
    return fc.sandbox.stats()["endpoints"].get("POST /oauth-v1/token", {}).get("200", 0)


def pair(app: Flask, session: Session, company_id: int) -> tuple[str, str]:
    """The stored (access, refresh) tokens, decrypted."""
    session.expire_all()
    conn = tokens.connection(session, company_id)
    with app.app_context():
        return crypto.decrypt(conn.access_token_enc), crypto.decrypt(conn.refresh_token_enc)


def make_stale(session: Session, company_id: int) -> None:
    """Let the stored access token be 30 seconds from expiry."""
    conn = tokens.connection(session, company_id)
    conn.expires_at = utcnow() + timedelta(seconds=30)
    session.add(conn)
    session.commit()


def test_refresh_before_expiry_saves_the_new_pair(app: Flask, session: Session, fortnox_company):
    company_id = fortnox_company.company.id
    old_access, old_refresh = pair(app, session, company_id)
    make_stale(session, company_id)
    fortnox_company.sandbox.reset_stats()
    with app.app_context(), api.client_for(session, company_id) as client:
        assert api.company_information(client)["CompanyName"]
    new_access, new_refresh = pair(app, session, company_id)
    assert token_posts(fortnox_company) == 1
    assert (new_access, new_refresh) != (old_access, old_refresh)
    assert tokens.connection(session, company_id).expires_at > utcnow() + timedelta(minutes=50)


def test_a_401_refreshes_once_and_retries(app: Flask, session: Session, fortnox_company):
    company_id = fortnox_company.company.id
    fortnox_company.sandbox.expire_tokens(fortnox_company.tenant)
    fortnox_company.sandbox.reset_stats()
    with app.app_context(), api.client_for(session, company_id) as client:
        assert api.financial_year_id(client, utcnow().date()) is not None
    stats = fortnox_company.sandbox.stats()["endpoints"]
    assert stats["GET /3/financialyears"] == {"401": 1, "200": 1}
    assert token_posts(fortnox_company) == 1


RACER = """
import json, os, sys, time
from sqlmodel import Session
from app import create_app
from app.db import make_engine
from app.fortnox import api
app = create_app()
company_id, go = int(sys.argv[1]), sys.argv[2]
with app.app_context():
    with Session(make_engine(app.config["DATABASE_URL"])) as s:
        client = api.client_for(s, company_id)
        stale = client.token.access_token
        print("ready", flush=True)
        while not os.path.exists(go):
            time.sleep(0.005)
        name = api.company_information(client)["CompanyName"]
        print(json.dumps({"name": name, "refreshed": client.token.access_token != stale}))
"""


def test_two_processes_racing_refresh_exactly_once(
    app: Flask, session: Session, fortnox_company: FortnoxCompany, tmp_path: Path
) -> None:
    company_id = fortnox_company.company.id
    make_stale(session, company_id)
    fortnox_company.sandbox.reset_stats()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "FORTNOX_CLIENT_ID": CLIENT_ID,
        "FORTNOX_CLIENT_SECRET": CLIENT_SECRET,
        "FORTNOX_AUTH_URL": fortnox_company.sandbox.url,
        "FORTNOX_API_URL": fortnox_company.sandbox.url,
    }
    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(company_id), str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for racer in racers:  # every one holds the stale token before any may use it
        assert racer.stdout.readline().strip() == "ready", racer.stderr.read()
    go.touch()
    results = []
    for racer in racers:
        out, err = racer.communicate(timeout=60)
        assert racer.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["name"] == "Café Centrum AB" for r in results)
    assert all(r["refreshed"] for r in results), "each moved on to the new token"
    assert token_posts(fortnox_company) == 1, "exactly one refresh at Fortnox"
    assert fortnox_company.sandbox.stats()["endpoints"].get("POST /oauth-v1/token", {}) == {
        "200": 1
    }, "nobody reused the retired refresh token"
    with app.app_context(), api.client_for(session, company_id) as client:
        assert api.company_information(client)["CompanyName"], "the saved pair works"


def test_refused_refresh_loses_the_connection_until_reconnected(
    app: Flask, client, auth, session: Session, fortnox_company: FortnoxCompany
) -> None:
    company = fortnox_company.company
    make_user(session, "admin@example.com", company, "admin")
    fortnox_company.sandbox.expire_tokens(fortnox_company.tenant, refresh=True)
    with app.app_context(), api.client_for(session, company.id) as fc, pytest.raises(AuthLost):
        api.company_information(fc)
    session.expire_all()
    conn = tokens.connection(session, company.id)
    assert conn.status == "lost" and "invalid_grant" in conn.lost_reason
    lost = session.exec(select(AuditEvent).where(AuditEvent.action == "fortnox.lost")).all()
    assert len(lost) == 1
    with app.app_context(), pytest.raises(AuthLost):
        api.client_for(session, company.id)

    auth.login("admin@example.com")
    page = client.get(f"/c/{company.id}/fortnox/").get_data(as_text=True)
    assert 'id="connection-lost"' in page and "Authorize again" in page
    start = client.get(f"/c/{company.id}/fortnox/authorize").location
    back = consent(start, fortnox_company.tenant)
    assert client.get(back).status_code == 303
    session.expire_all()
    conn = tokens.connection(session, company.id)
    assert conn.status == "connected" and conn.lost_reason == ""
    with app.app_context(), api.client_for(session, company.id) as fc:
        assert api.company_information(fc)["CompanyName"] == "Café Centrum AB"
