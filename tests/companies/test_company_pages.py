"""Settings, stores (edited in place), users and roles, API tokens; each change audited."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from sqlmodel import col, select

from app.audit.models import AuditEvent
from app.auth.models import Membership, MembershipStore, User
from app.companies.models import ApiToken, Company, Store
from tests.factories import make_company, make_store, make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def company(session) -> Company:
    """A company with one store and an admin."""
    company = make_company(session)
    make_store(session, company)
    make_user(session, "admin@example.se", company, "admin")
    return company


@pytest.fixture
def admin(auth, company: Company):
    """Signed in as the company's admin."""
    auth.login("admin@example.se")
    return auth


def _events(session, action: str) -> list[AuditEvent]:
    """The audit events of one kind."""
    session.expire_all()
    return list(
        session.exec(
            select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
        ).all()
    )


def test_settings_saved_and_audited(client, session, admin, company: Company) -> None:
    """Saving settings changes them and records before and after."""
    response = client.post(
        f"/c/{company.id}/settings",
        data={
            "sync_sales": "y",
            "invoice": "y",
            "use_order": "y",
            "voucher_series": "k",
            "cash_threshold": "75.50",
            "language": "en",
        },
    )
    assert response.status_code == 303
    session.refresh(company)
    assert (company.voucher_series, company.cash_threshold) == ("K", Decimal("75.50"))
    assert company.invoice and company.use_order and not company.approve_first
    (event,) = _events(session, "settings.changed")
    assert (event.detail["before"]["voucher_series"], event.detail["after"]["voucher_series"]) == (
        "A",
        "K",
    )
    assert event.detail["after"]["cash_threshold"] == "75.50"


def test_settings_refuse_orders_without_invoices(client, session, admin, company) -> None:
    """Use order needs Invoice on; nothing is saved."""
    data = {"use_order": "y", "voucher_series": "A", "cash_threshold": "1", "language": "sv"}
    response = client.post(f"/c/{company.id}/settings", data=data)
    assert response.status_code == 422
    assert not _events(session, "settings.changed")


def test_store_edit_in_place(client, session, admin, company: Company) -> None:
    """htmx: the edit form replaces the row; saving returns the row and triggers an event."""
    store = session.exec(select(Store)).one()
    form = client.get(f"/c/{company.id}/stores/{store.id}/edit", headers=HX)
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "<html" not in html and 'hx-put="' in html
    assert form.headers["Vary"].count("HX-Request")
    response = client.put(
        f"/c/{company.id}/stores/{store.id}",
        data={"store_id": "S12", "name": "Café Torget", "cost_center": "CC12"},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith("<tr")
    assert "Café Torget" in html and "CC12" in html
    assert "store-saved" in response.headers["HX-Trigger"]
    (event,) = _events(session, "store.changed")
    assert event.detail["cost_center"] == {"before": "S12", "after": "CC12"}


def test_store_edit_without_javascript(client, session, admin, company: Company) -> None:
    """Without htmx the edit form is a page and saving redirects (303)."""
    store = session.exec(select(Store)).one()
    page = client.get(f"/c/{company.id}/stores/{store.id}/edit").get_data(as_text=True)
    assert "<html" in page
    response = client.post(
        f"/c/{company.id}/stores/{store.id}",
        data={"store_id": "S12", "name": "Café Nytt", "cost_center": "S12"},
    )
    assert response.status_code == 303


def test_store_invalid_edit_returns_the_form(client, session, admin, company: Company) -> None:
    """A duplicate store id comes back as the form row with the error (422)."""
    make_store(session, company, "S14", "Hamnen")
    store = session.exec(select(Store).where(Store.store_id == "S12")).one()
    response = client.put(
        f"/c/{company.id}/stores/{store.id}",
        data={"store_id": "S14", "name": "x", "cost_center": "S14"},
        headers=HX,
    )
    assert response.status_code == 422
    assert "Another store already has that store id." in response.get_data(as_text=True)


def test_add_store(client, session, admin, company: Company) -> None:
    """Admins add stores; the creation is audited."""
    data = {"store_id": "S20", "name": "Ny", "cost_center": "S20"}
    assert client.post(f"/c/{company.id}/stores", data=data).status_code == 303
    assert session.exec(select(Store).where(Store.store_id == "S20")).one()
    assert _events(session, "store.created")


def test_invite_and_change_role(client, session, admin, company: Company) -> None:
    """Inviting creates the person; their role and stores change; both audited."""
    store = session.exec(select(Store)).one()
    response = client.post(
        f"/c/{company.id}/users",
        data={
            "email": "Maja@Example.se",
            "name": "Maja",
            "password": "a-long-password",
            "role": "accountant",
        },
    )
    assert response.status_code == 303
    maja = session.exec(select(User).where(User.email == "maja@example.se")).one()
    membership = session.exec(select(Membership).where(Membership.user_id == maja.id)).one()
    response = client.post(
        f"/c/{company.id}/users/{membership.id}",
        data={"role": "store_manager", "stores": [str(store.id)]},
    )
    assert response.status_code == 303
    held = session.exec(select(MembershipStore)).all()
    assert [h.store_id for h in held] == [store.id]
    (event,) = _events(session, "member.changed")
    assert event.detail["after"] == {"role": "store_manager", "stores": ["S12"]}
    assert _events(session, "member.added")


def test_last_admin_cannot_be_demoted(client, session, admin, company: Company) -> None:
    """A company keeps at least one admin."""
    membership = session.exec(select(Membership)).one()
    response = client.post(f"/c/{company.id}/users/{membership.id}", data={"role": "auditor"})
    assert response.status_code == 422
    assert "at least one admin" in response.get_data(as_text=True)


def test_token_shown_once_stored_hashed_and_revoked(client, session, admin, company) -> None:
    """The token appears in the answer once; only its SHA-256 is kept; revoking is audited."""
    response = client.post(f"/c/{company.id}/tokens", data={"name": "Kassa 1"})
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    plain = html.split('id="token-value" class="input input--mono" readonly value="')[1]
    plain = plain.split('"')[0]
    token = session.exec(select(ApiToken)).one()
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in client.get(f"/c/{company.id}/tokens").get_data(as_text=True)
    response = client.post(f"/c/{company.id}/tokens/{token.id}/revoke")
    assert response.status_code == 303
    session.refresh(token)
    assert token.revoked_at is not None
    assert _events(session, "token.created") and _events(session, "token.revoked")


def test_overview_lists_only_my_companies(client, session, admin, company: Company) -> None:
    """The overview shows the user's companies with their role, not others."""
    make_company(session, "Annat AB", "556111-2222")
    page = client.get("/").get_data(as_text=True)
    assert "Café Centrum AB" in page and "556677-8899" in page
    assert "Annat AB" not in page


def test_money_and_dates_follow_the_locale(app) -> None:
    """The money and date filters format for Swedish and English."""
    from datetime import date

    with app.test_request_context():
        from flask import session as web_session

        from app.i18n import date as fmt_date
        from app.i18n import money

        web_session["locale"] = "sv"
        assert money(Decimal("1820.5")).replace("\xa0", " ") == "1 820,50 kr"
        assert fmt_date(date(2026, 11, 24), "short") == "2026-11-24"
    with app.test_request_context():
        from flask import session as web_session

        from app.i18n import money

        web_session["locale"] = "en"
        assert money(Decimal("-1820.5")).replace("\xa0", " ") == "-SEK 1,820.50"
