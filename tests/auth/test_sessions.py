"""Sign-out, a password change and a role change end every older session (issue 14.3)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from app.auth.models import Membership, User
from tests.factories import PASSWORD, make_company, make_user

NEW_PASSWORD = "Blue-otter-kettle-42"


@pytest.fixture
def people(session) -> dict[str, User]:
    """An admin and an accountant of one company."""
    company = make_company(session)
    return {
        "admin": make_user(session, "anna@example.se", company, "admin"),
        "accountant": make_user(session, "erik@example.se", company, "accountant"),
    }


def _signed_in(app, email: str, password: str = PASSWORD) -> FlaskClient:
    """A client (a browser) signed in as email."""
    client = app.test_client()
    answer = client.post("/auth/login", data={"email": email, "password": password})
    assert answer.status_code == 303
    return client


def _copy(app, client: FlaskClient) -> FlaskClient:
    """Another client holding a copy of client's session cookie (a stolen cookie)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_copied_cookie_stops_working_at_sign_out(app, people) -> None:
    """After sign-out the session cookie copied before it opens nothing."""
    client = _signed_in(app, "anna@example.se")
    thief = _copy(app, client)
    assert thief.get("/").status_code == 200
    assert client.post("/auth/logout").status_code == 303
    assert thief.get("/").status_code == 302
    assert client.get("/").status_code == 302


def test_sign_out_ends_the_users_other_sessions_only(app, people) -> None:
    """Signing out on one device ends that user's other sessions, not other users'."""
    laptop = _signed_in(app, "anna@example.se")
    phone = _signed_in(app, "anna@example.se")
    colleague = _signed_in(app, "erik@example.se")
    laptop.post("/auth/logout")
    assert phone.get("/").status_code == 302
    assert colleague.get("/").status_code == 200
    assert _signed_in(app, "anna@example.se").get("/").status_code == 200


def test_a_password_change_ends_the_other_sessions(app, people) -> None:
    """The session that changed the password goes on; every other one, copies too, ends."""
    client = _signed_in(app, "anna@example.se")
    thief = _copy(app, client)
    other = _signed_in(app, "anna@example.se")
    answer = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert answer.status_code == 303
    assert client.get("/").status_code == 200
    assert thief.get("/").status_code == 302
    assert other.get("/").status_code == 302


def test_a_role_change_ends_the_members_sessions(app, session, people) -> None:
    """When an admin changes someone's role, that person signs in again."""
    admin = _signed_in(app, "anna@example.se")
    erik = _signed_in(app, "erik@example.se")
    membership = session.exec(
        select(Membership).where(Membership.user_id == people["accountant"].id)
    ).one()
    url = f"/c/{membership.company_id}/users/{membership.id}"
    assert admin.post(url, data={"role": "auditor"}).status_code == 303
    assert erik.get("/").status_code == 302
    assert admin.get("/").status_code == 200
    erik = _signed_in(app, "erik@example.se")
    assert admin.post(url, data={"role": "auditor"}).status_code == 303  # no change: kept
    assert erik.get("/").status_code == 200
