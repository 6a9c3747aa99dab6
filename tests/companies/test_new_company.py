"""An admin of any company opens a new one in the portal and becomes its admin; others get 403."""

from __future__ import annotations

import re

import pytest
from sqlmodel import col, select

from app.audit.models import AuditEvent
from app.auth.models import Membership, User
from app.companies.models import Company
from app.companies.service import CompanyError, check_orgnr, luhn_ok
from tests.factories import make_company, make_user

NEW = "/companies/new"
VALID = "559876-5435"  # Luhn-valid


@pytest.fixture
def home(session) -> Company:
    """The company the agency already keeps, with an admin and an accountant."""
    company = make_company(session)
    make_user(session, "admin@example.se", company, "admin")
    make_user(session, "accountant@example.se", company, "accountant")
    return company


def _companies(session) -> list[Company]:
    """Every company, by id."""
    session.expire_all()
    return list(session.exec(select(Company).order_by(Company.id)).all())


def _events(session, action: str) -> list[AuditEvent]:
    """The audit events of one kind."""
    session.expire_all()
    return list(
        session.exec(
            select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
        ).all()
    )


def test_luhn_check_digit() -> None:
    """Real organisation numbers pass; one changed digit fails; the format is normalised."""
    assert luhn_ok("5566778899") and luhn_ok("5561234567") and luhn_ok("5598765435")
    assert not luhn_ok("5566778890") and not luhn_ok("5566778898")
    assert check_orgnr(" 556677 8899 ") == "556677-8899"
    assert check_orgnr("5566778899") == "556677-8899"
    with pytest.raises(CompanyError, match="556677-8890 is not valid: check the last digit"):
        check_orgnr("556677-8890")
    with pytest.raises(CompanyError, match="ten digits"):
        check_orgnr("55667788")


def test_admin_creates_a_company_and_becomes_its_admin(client, auth, session, home) -> None:
    """The new company has default settings, its creator as admin, and both are audited."""
    auth.login("admin@example.se")
    page = client.get(NEW)
    assert page.status_code == 200
    assert 'name="orgnr"' in page.get_data(as_text=True)
    answer = client.post(NEW, data={"name": "  Bageriet Syd AB ", "orgnr": "5598765435"})
    assert answer.status_code == 303
    new = _companies(session)[-1]
    assert (new.name, new.orgnr, new.voucher_series) == ("Bageriet Syd AB", VALID, "A")
    assert answer.headers["Location"] == f"/c/{new.id}/stores"
    creator = session.exec(select(User).where(User.email == "admin@example.se")).one()
    membership = session.exec(select(Membership).where(Membership.company_id == new.id)).one()
    assert (membership.user_id, membership.role) == (creator.id, "admin")
    (created,) = _events(session, "company.created")
    assert (created.company_id, created.user_id, created.target) == (new.id, creator.id, VALID)
    assert created.detail == {"name": "Bageriet Syd AB"}
    added = [e for e in _events(session, "member.added") if e.company_id == new.id]
    assert [(e.target, e.detail["role"], e.user_id) for e in added] == [
        ("admin@example.se", "admin", creator.id)
    ]
    stores = client.get(answer.headers["Location"])
    text = stores.get_data(as_text=True)
    assert stores.status_code == 200
    assert "Bageriet Syd AB is created and you are its admin. Next: add its stores" in text
    assert 'id="add-store"' in text  # the next step is right there
    settings = client.get(f"/c/{new.id}/settings")
    assert settings.status_code == 200  # an admin of the new company


TEN_DIGITS = "An organisation number has ten digits, like 556677-8899."
DUPLICATE = (
    "556677-8899 cannot be opened as a new company. If the company already uses Kassabok, ask "
    "the company&#39;s admin to invite you."
)
BAD_INPUT = {
    "check-digit": (
        "Bageriet Syd AB",
        "559876-5436",
        "559876-5436 is not valid: check the last digit.",
    ),
    "too-short": ("Bageriet Syd AB", "55987", TEN_DIGITS),
    "no-orgnr": ("Bageriet Syd AB", "", TEN_DIGITS),
    "no-name": ("   ", VALID, "Give the company a name."),
    "duplicate": ("Kopian AB", "5566778899", DUPLICATE),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_422_with_what_to_fix(client, auth, session, home, case: str) -> None:
    """The form comes back with the error next to its field, the input kept; nothing is made."""
    name, orgnr, message = BAD_INPUT[case]
    form = {"name": name, "orgnr": orgnr}
    auth.login("admin@example.se")
    for headers in ({}, {"HX-Request": "true", "HX-Boosted": "true"}):
        answer = client.post(NEW, data=form, headers=headers)
        assert answer.status_code == 422
        text = answer.get_data(as_text=True)
        assert message in text
        assert 'class="field__errors"' in text and 'aria-invalid="true"' in text
        if form["name"].strip():
            assert f'value="{form["name"]}"' in text
    assert [c.id for c in _companies(session)] == [home.id]
    assert _events(session, "company.created") == []
    assert len(session.exec(select(Membership)).all()) == 2


@pytest.mark.parametrize("role", ["accountant", "store_manager", "auditor", None])
def test_only_an_admin_of_some_company_may_open_one(client, auth, session, home, role) -> None:
    """Any other role (or a person without companies) gets 403 and nothing is made."""
    make_user(session, "other@example.se", home if role else None, role or "admin")
    auth.login("other@example.se")
    assert client.get(NEW).status_code == 403
    answer = client.post(NEW, data={"name": "Smuggel AB", "orgnr": VALID})
    assert answer.status_code == 403
    htmx = client.post(
        NEW, data={"name": "Smuggel AB", "orgnr": VALID}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 403
    assert [c.id for c in _companies(session)] == [home.id]


def test_anonymous_is_sent_to_sign_in(client) -> None:
    """No one opens a company without signing in."""
    answer = client.get(NEW)
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_overview_offers_new_company_only_to_admins(client, auth, session, home) -> None:
    """The button shows for an admin of some company, not for an accountant."""
    auth.login("admin@example.se")
    assert 'href="/companies/new"' in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("accountant@example.se")
    assert 'href="/companies/new"' not in client.get("/").get_data(as_text=True)


def test_csrf_is_enforced(app, client, auth, session, home) -> None:
    """Without the form's token the post is 400 and nothing is made; with it, it works."""
    auth.login("admin@example.se")
    app.config["WTF_CSRF_ENABLED"] = True
    data = {"name": "Bageriet Syd AB", "orgnr": VALID}
    assert client.post(NEW, data=data).status_code == 400
    assert client.post(NEW, data={**data, "csrf_token": "forged"}).status_code == 400
    assert [c.id for c in _companies(session)] == [home.id]
    page = client.get(NEW).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    assert client.post(NEW, data={**data, "csrf_token": token.group(1)}).status_code == 303
    assert [c.orgnr for c in _companies(session)] == [home.orgnr, VALID]


def test_swedish_admin_reads_swedish(client, auth, session) -> None:
    """The form and its errors in the admin's language."""
    company = make_company(session)
    make_user(session, "anna@example.se", company, "admin", locale="sv")
    auth.login("anna@example.se")
    text = client.post(NEW, data={"name": "X AB", "orgnr": "556677-8890"}).get_data(as_text=True)
    assert "Nytt företag" in text
    assert "Organisationsnumret 556677-8890 är inte giltigt: kontrollera sista siffran." in text


def test_a_number_saved_meanwhile_is_a_duplicate_not_a_500(session, home, monkeypatch) -> None:
    """Two admins opening the same company at once: the database's unique rule answers."""
    from app.companies import service

    monkeypatch.setattr(service, "find_company", lambda *_a, **_k: None)
    with pytest.raises(CompanyError, match="already exists"):
        service.create_company(session, name="Again", orgnr=home.orgnr)
    assert [c.orgnr for c in _companies(session)] == [home.orgnr]


def test_every_new_company_has_a_valid_check_digit(session) -> None:
    """Not only the portal: the CLI, the seed and any caller of create_company."""
    from app.companies import service

    with pytest.raises(CompanyError, match="last digit"):
        service.create_company(session, name="Typo AB", orgnr="559876-5436")
