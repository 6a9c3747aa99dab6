"""A Fortnox company with another organisation number holds posting until an admin confirms it."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.closures.models import ClosureState
from app.fortnox import orgnr, preflight, tokens
from app.fortnox.checks import Check
from app.posting.reasons import english
from tests.factories import make_user
from tests.fortnox.helpers import consent
from tests.posting.conftest import fixture, receive  # noqa: F401
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401
from tests.sandbox_fixtures import CLIENT_ID, CLIENT_SECRET, SCOPE

S = ClosureState
OTHER = ("Helt Annat AB", "559999-0000")


def _connect_other(app: Flask, session: Session, books: Any, name: str, number: str) -> int:
    """Connect the company to a new seeded tenant of another orgnr, as a token pair would."""
    tenant = books.sandbox.create_tenant(name, number, seed="bas")
    pair = books.sandbox.issue_tokens(CLIENT_ID, CLIENT_SECRET, tenant, SCOPE)
    with app.app_context():
        conn = tokens.connection(session, books.company.id)
        tokens.store_pair(conn, pair)
        conn.database_number = str(tenant)
        session.add(conn)
        session.commit()
    return tenant


def _run(app: Flask, company_id: int) -> dict[str, Check]:
    with app.app_context():
        return {c.key: c for c in preflight.run_and_store(company_id)}


def _members(session: Session, books: Any) -> None:
    for role in ("admin", "accountant", "store_manager", "auditor"):
        make_user(session, f"{role}@example.com", books.company, role, stores=books.stores)


def test_posting_waits_for_an_admins_confirmation_then_posts(
    app: Flask,
    client,
    auth,
    session: Session,
    books: Any,
    receive,  # noqa: F811
) -> None:
    company = books.company
    _members(session, books)
    _connect_other(app, session, books, *OTHER)
    checks = _run(app, company.id)
    assert not checks["orgnr"].ok and checks["orgnr"].params["theirs"] == "559999-0000"
    assert checks["connection"].ok, "the token works; it opens the wrong company's books"

    books.sandbox.reset_stats()
    closure = receive(company, fixture("cafe-full-day"))
    drain(app, session)
    session.refresh(closure)
    assert (closure.state, closure.hold_code) == (S.HELD, orgnr.HOLD)
    said = english(closure.state_reason)
    assert "Helt Annat AB" in said and "559999-0000" in said and company.orgnr in said
    assert "Only an admin" in said and "Fortnox page" in said
    assert "POST /3/vouchers" not in books.sandbox.stats()["endpoints"]
    auth.login("store_manager@example.com")  # may not open the Fortnox page: told whom to ask
    shown = client.get(f"/c/{company.id}/closures/{closure.id}").get_data(as_text=True)
    assert "Ask an admin of the company to fix it." in shown and "accountant or admin" not in shown
    auth.logout()

    conn = tokens.connection(session, company.id)
    key = orgnr.identity(conn.database_number, conn.fortnox_orgnr, company.orgnr)
    url = f"/c/{company.id}/fortnox/orgnr"
    for role in ("accountant", "store_manager", "auditor"):
        auth.login(f"{role}@example.com")
        assert client.post(url, data={"key": key}).status_code == 403, role
        auth.logout()
    session.expire_all()
    assert tokens.connection(session, company.id).orgnr_confirmed == ""

    auth.login("admin@example.com")
    done = client.post(url, data={"key": key})
    assert done.status_code == 303
    session.expire_all()
    conn = tokens.connection(session, company.id)
    assert conn.orgnr_confirmed == key and conn.orgnr_confirmed_at is not None
    assert preflight.preflight_ok_for(session, company.id), "green at once, without a re-run"
    session.refresh(closure)
    assert closure.state == S.QUEUED, "re-checked at once"
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "fortnox.orgnr_confirmed")
    ).one()
    assert event.actor == "admin@example.com"
    assert event.detail["fortnox_orgnr"] == "559999-0000"
    assert event.detail["company_orgnr"] == company.orgnr
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED, closure.state_reason


def test_a_stale_confirmation_confirms_nothing(
    app: Flask, client, auth, session: Session, books: Any
) -> None:
    company = books.company
    _members(session, books)
    _connect_other(app, session, books, *OTHER)
    _run(app, company.id)
    conn = tokens.connection(session, company.id)
    seen = orgnr.identity(conn.database_number, conn.fortnox_orgnr, company.orgnr)
    _connect_other(app, session, books, "Tredje AB", "556000-1111")  # reconnected meanwhile
    _run(app, company.id)
    auth.login("admin@example.com")
    assert client.post(f"/c/{company.id}/fortnox/orgnr", data={"key": seen}).status_code == 303
    session.expire_all()
    assert tokens.connection(session, company.id).orgnr_confirmed == ""
    assert not preflight.preflight_ok_for(session, company.id)
    assert not session.exec(
        select(AuditEvent).where(AuditEvent.action == "fortnox.orgnr_confirmed")
    ).all()


def test_matching_numbers_need_no_confirmation(app: Flask, session: Session, books: Any) -> None:
    checks = _run(app, books.company.id)
    assert checks["orgnr"].ok and "confirmed" not in checks["orgnr"].params
    with app.test_request_context(), force_locale("en"):
        assert books.company.orgnr in checks["orgnr"].detail


@pytest.fixture
def consented(app: Flask, client, auth, session: Session, books: Any) -> dict:
    """Admin and accountant of the company, and a way to connect through the consent page."""
    _members(session, books)

    def connect_to(tenant: int) -> Any:
        auth.login("admin@example.com")
        start = client.get(f"/c/{books.company.id}/fortnox/authorize").location
        return client.get(consent(start, tenant))

    return {"connect": connect_to, "company": books.company}


def test_connect_through_consent_asks_again_for_another_company(
    app: Flask, client, auth, session: Session, books: Any, consented: dict
) -> None:
    company = consented["company"]
    other = books.sandbox.create_tenant(*OTHER, seed="bas")
    back = consented["connect"](other)
    assert back.status_code == 303
    page = client.get(back.location).get_data(as_text=True)
    assert 'id="orgnr-mismatch"' in page and 'id="confirm-orgnr"' in page
    assert "559999-0000" in page and company.orgnr in page and "Helt Annat AB" in page
    assert 'data-check="orgnr" data-ok="false"' in page

    auth.logout()
    auth.login("accountant@example.com")
    seen = client.get(f"/c/{company.id}/fortnox/").get_data(as_text=True)
    assert 'id="orgnr-mismatch"' in seen and 'id="orgnr-who"' in seen
    assert 'id="confirm-orgnr"' not in seen
    auth.logout()
    auth.login("store_manager@example.com")
    banner = client.get(f"/c/{company.id}/closures").get_data(as_text=True)
    assert 'id="fortnox-orgnr-banner"' in banner and "559999-0000" in banner
    assert "Only an admin" in banner and f"/c/{company.id}/fortnox/" not in banner
    auth.logout()

    auth.login("admin@example.com")
    page = client.get(f"/c/{company.id}/fortnox/").get_data(as_text=True)
    key = html.unescape(re.search(r'name="key" value="([^"]*)"', page).group(1))
    assert client.post(f"/c/{company.id}/fortnox/orgnr", data={"key": key}).status_code == 303
    page = client.get(f"/c/{company.id}/fortnox/").get_data(as_text=True)
    assert 'id="orgnr-confirmed"' in page and 'data-check="orgnr" data-ok="true"' in page

    assert consented["connect"](other).status_code == 303  # the same company again: still fine
    session.expire_all()
    assert preflight.preflight_ok_for(session, company.id)
    third = books.sandbox.create_tenant("Tredje AB", "556000-1111", seed="bas")
    assert consented["connect"](third).status_code == 303  # another one: asked again
    page = client.get(f"/c/{company.id}/fortnox/").get_data(as_text=True)
    assert 'id="orgnr-mismatch"' in page and "556000-1111" in page
    session.expire_all()
    assert [c.key for c in preflight.failing(session, company.id)] == ["orgnr"]


def test_only_the_orgnr_line_makes_its_own_hold() -> None:
    mismatch = Check("orgnr", False, "orgnr", {"name": "X", "theirs": "1", "ours": "2"})
    account = Check("account:3001", False, "account", {"number": "3001"})
    assert preflight._stops(mismatch, "S12", date(2026, 3, 2))
    assert preflight.holds([account, mismatch]) == [
        (orgnr.HOLD, mismatch.params),
        (preflight.PREFLIGHT_HOLD, {"lines": [account.to_dict()]}),
    ]
    assert preflight.holds([account]) == [
        (preflight.PREFLIGHT_HOLD, {"lines": [account.to_dict()]})
    ]


def test_fortnox_giving_no_orgnr_differs() -> None:
    assert orgnr.differs("", "556677-0001") and orgnr.differs("556677-0002", "5566770001")
    assert not orgnr.differs("556677-0001", "5566770001")


def test_a_reconnect_does_not_post_on_the_old_companys_green_checks(
    app: Flask, client, auth, session: Session, books: Any, consented: dict, monkeypatch
) -> None:
    company = consented["company"]
    assert all(c.ok for c in _run(app, company.id).values())
    other = books.sandbox.create_tenant(*OTHER, seed="bas")
    monkeypatch.setattr("app.fortnox.views.after_change", lambda *a: None)  # not re-run yet
    assert consented["connect"](other).status_code == 303
    with app.app_context():
        red = preflight.blocking(session, company.id, store="S12", day=date.today())
    assert [c.key for c in red] == ["orgnr"], "the checks run anew for the new company"


def test_fortnox_not_saying_which_company_falls_back_on_the_last_known(
    app: Flask, session: Session, books: Any, monkeypatch
) -> None:
    from app.fortnox.errors import Retryable

    def down(client: Any) -> dict:
        raise Retryable("Fortnox did not answer in time")

    assert _run(app, books.company.id)["orgnr"].ok
    monkeypatch.setattr("app.fortnox.api.company_information", down)
    checks = _run(app, books.company.id)
    assert not checks["unavailable:companyinformation"].ok and checks["orgnr"].ok
    monkeypatch.undo()

    _connect_other(app, session, books, *OTHER)
    assert not _run(app, books.company.id)["orgnr"].ok  # learnt which company it opens
    monkeypatch.setattr("app.fortnox.api.company_information", down)
    checks = _run(app, books.company.id)
    assert checks["orgnr"].params["theirs"] == "559999-0000" and not checks["orgnr"].ok
    with app.app_context():
        red = preflight.blocking(session, books.company.id, store="S12", day=date.today())
    assert "orgnr" in [c.key for c in red]


def test_reconciliation_reads_no_other_companys_books_until_confirmed(
    app: Flask, session: Session, books: Any
) -> None:
    from app.reconcile import service as reconcile

    company = books.company
    _connect_other(app, session, books, *OTHER)
    _run(app, company.id)
    books.sandbox.reset_stats()
    day = date(2026, 11, 24)
    with app.app_context():
        summary = reconcile.reconcile(session, company.id, day, day)
    assert summary.problem["code"] == orgnr.HOLD and summary.requests == 0
    assert summary.problem["detail"]["theirs"] == "559999-0000"
    assert not books.sandbox.stats()["endpoints"], "Fortnox was not read"

    admin = make_user(session, "admin@example.com", company, "admin")
    with app.app_context():
        conn = tokens.connection(session, company.id)
        found = orgnr.mismatch(session, company, conn)
        assert found is not None
        assert orgnr.confirm(session, company, found.key, admin)
        session.commit()
        summary = reconcile.reconcile(session, company.id, day, day)
    assert summary.problem == {} and summary.requests > 0
