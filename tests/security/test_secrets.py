"""Fortnox tokens never rest or travel through logs in clear; keys rotate without a reconnect."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from app.fortnox.models import FortnoxConnection
from tests.factories import make_company, make_store, make_user
from tests.sandbox_fixtures import point_app_at


def _pair(app, session, company_id: int) -> tuple[str, str]:
    """The stored access and refresh tokens, decrypted."""
    from app.crypto import decrypt

    session.expire_all()
    row = session.exec(select(FortnoxConnection).where(FortnoxConnection.company_id == company_id))
    conn = row.one()
    with app.app_context():
        return decrypt(conn.access_token_enc), decrypt(conn.refresh_token_enc)


def _connect(app, client, sandbox: Any, company_id: int, tenant: int) -> None:
    """Authorize through the real flow: portal → sandbox consent → portal callback."""
    start = client.get(f"/c/{company_id}/fortnox/authorize")
    assert start.status_code in (302, 303)
    consent = start.headers["Location"]
    answer = httpx.post(consent, data={"tenant": str(tenant), "decision": "approve"})
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    done = client.get(f"{back.path}?{back.query}")
    assert done.status_code in (302, 303), done.status_code


@pytest.fixture
def connected(app, client, auth, session, sandbox, caplog):
    """A company connected by its admin, used, refreshed, and the logs of all of it."""
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "authlib", "app", "werkzeug", "rq", "urllib3"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    sandbox.reset()
    point_app_at(app, sandbox)
    company = make_company(session)
    make_store(session, company, "S12", "Café Centrum")
    make_user(session, "admin@sec.test", company, "admin")
    tenant = sandbox.create_tenant(company.name, company.orgnr)
    auth.login("admin@sec.test")
    _connect(app, client, sandbox, company.id, tenant)
    seen = [_pair(app, session, company.id)]
    assert all(seen[0])
    assert client.post(f"/c/{company.id}/fortnox/preflight").status_code in (200, 303)
    sandbox.expire_tokens(tenant)  # the next call refreshes: a second pair passes by
    assert client.post(f"/c/{company.id}/fortnox/preflight").status_code in (200, 303)
    seen.append(_pair(app, session, company.id))
    assert seen[1] != seen[0], "the expired pair should have been refreshed"
    return company, [t for pair in seen for t in pair]


def test_tokens_not_in_the_database_in_clear(app, session, connected) -> None:
    """No row of any table, nor the database file itself, holds a token in clear."""
    company, tokens = connected
    conn = session.exec(select(FortnoxConnection)).one()
    for token in tokens:
        assert token not in repr(conn.model_dump())
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        session.close()
        raw = Path(url.removeprefix("sqlite:///")).read_bytes()
        for token in tokens:
            assert token.encode() not in raw


def test_tokens_not_in_logs(caplog, connected) -> None:
    """Kassabok's logs, httpx's and httpcore's (debug included) carry no token."""
    _company, tokens = connected
    records = caplog.get_records("setup") + caplog.records
    text = "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in records)
    assert any(r.name.startswith("httpx") for r in records), "httpx should have logged calls"
    for token in tokens:
        assert token not in text


def test_pages_do_not_show_tokens(client, connected) -> None:
    """The Fortnox page and the audit trail show the connection, not its tokens."""
    company, tokens = connected
    for path in (f"/c/{company.id}/fortnox/", f"/c/{company.id}/audit"):
        page = client.get(path)
        assert page.status_code == 200
        for token in tokens:
            assert token.encode() not in page.data


def test_a_new_fernet_key_reads_old_tokens(app, session, connected) -> None:
    """Rotation: with a new key in front of the old, stored tokens still decrypt."""
    company, _tokens = connected
    before = _pair(app, session, company.id)
    app.config["FERNET_KEYS"] = f"{Fernet.generate_key().decode()},{app.config['FERNET_KEYS']}"
    assert _pair(app, session, company.id) == before
    app.config["FERNET_KEYS"] = Fernet.generate_key().decode()
    with pytest.raises(RuntimeError):
        _pair(app, session, company.id)
