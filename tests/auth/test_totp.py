"""Optional two-factor sign-in with TOTP, which an admin can require of a company."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlmodel import select

from app.auth.models import User
from app.companies.models import Company
from tests.factories import PASSWORD, make_company, make_user

EMAIL = "anna@example.se"


@pytest.fixture
def company(session) -> Company:
    """One company, with an admin (Anna) and an accountant (Erik)."""
    company = make_company(session)
    make_user(session, EMAIL, company, "admin")
    make_user(session, "erik@example.se", company, "accountant")
    return company


def _set_up(client) -> tuple[str, str]:
    """Turn TOTP on for the signed-in user through the setup page; the secret and the code spent."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert "data:image/svg+xml" in page and "otpauth://totp/Kassabok" in page
    wrong = client.post("/account/two-factor", data={"code": "000000"})
    assert wrong.status_code == 422
    code = pyotp.TOTP(secret).now()
    assert client.post("/account/two-factor", data={"code": code}).status_code == 303
    return secret, code


def _next_code(secret: str) -> str:
    """A code of the next 30-second step (the previous one was spent)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_set_up_then_sign_in_with_a_code(client, auth, session, company) -> None:
    """After the password a code is asked; only the right, unspent one signs in."""
    auth.login(EMAIL)
    secret, spent = _set_up(client)  # the code that confirmed the setup (its step may be past)
    user = session.exec(select(User).where(User.email == EMAIL)).one()
    session.refresh(user)
    assert user.totp_enabled and user.totp_secret and secret not in user.totp_secret
    auth.logout()
    answer = auth.login(EMAIL)
    assert answer.status_code == 303 and answer.headers["Location"] == "/auth/code"
    assert client.get("/").status_code == 302  # the password alone opens nothing
    assert client.post("/auth/code", data={"code": "123456"}).status_code == 401
    assert client.post("/auth/code", data={"code": spent}).status_code == 401
    code = _next_code(secret)
    answer = client.post("/auth/code", data={"code": code})
    assert answer.status_code == 303 and answer.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    auth.logout()
    auth.login(EMAIL)
    assert client.post("/auth/code", data={"code": code}).status_code == 401  # no replay


def test_code_guesses_count_against_the_account(app, client, auth, company) -> None:
    """Wrong codes are throttled like wrong passwords; a right password does not reset that."""
    auth.login(EMAIL)
    secret, _spent = _set_up(client)
    auth.logout()
    limit = app.config["LOGIN_MAX_ATTEMPTS"]
    statuses = []
    for n in range(limit + 2):
        if auth.login(EMAIL).status_code == 303:
            statuses.append(client.post("/auth/code", data={"code": f"{n:06d}"}).status_code)
        else:
            statuses.append(429)
    assert statuses.count(401) < limit and statuses[-1] == 429
    assert client.post("/auth/code", data={"code": _next_code(secret)}).status_code != 303


def test_the_code_step_expires_without_a_password(client, company) -> None:
    """/auth/code without a fresh password step sends the visitor back to sign in."""
    answer = client.post("/auth/code", data={"code": "123456"})
    assert answer.status_code == 303 and answer.headers["Location"] == "/auth/login"


def test_an_admin_requires_two_factor(app, client, auth, session, company) -> None:
    """Once required, a member without TOTP must set it up before any page; nobody may turn it
    off; only an admin may switch it."""
    erik = app.test_client()
    erik.post("/auth/login", data={"email": "erik@example.se", "password": PASSWORD})
    assert erik.post(f"/c/{company.id}/two-factor", data={"require": "y"}).status_code == 403
    auth.login(EMAIL)
    assert client.post(f"/c/{company.id}/two-factor", data={"require": "y"}).status_code == 303
    session.refresh(company)
    assert company.require_totp
    page = erik.get(f"/c/{company.id}/closures")
    assert page.status_code == 302 and page.headers["Location"] == "/account/two-factor"
    assert erik.get("/", headers={"HX-Request": "true"}).headers["HX-Redirect"] == (
        "/account/two-factor"
    )
    secret, _spent = _set_up(erik)
    assert erik.get(f"/c/{company.id}/closures").status_code == 200
    assert erik.post("/account/two-factor/off", data={"password": PASSWORD}).status_code == 303
    assert session.exec(select(User).where(User.email == "erik@example.se")).one().totp_enabled
    assert secret
    client.post(f"/c/{company.id}/two-factor", data={"require": ""})  # Anna herself is sent away
    _set_up(client)
    assert client.post(f"/c/{company.id}/two-factor", data={"require": ""}).status_code == 303
    session.refresh(company)
    assert not company.require_totp


def test_turn_off_with_the_password(client, auth, session, company) -> None:
    """Turning TOTP off asks for the password and forgets the secret."""
    auth.login(EMAIL)
    _set_up(client)
    assert client.post("/account/two-factor/off", data={"password": "wrong"}).status_code == 422
    assert client.post("/account/two-factor/off", data={"password": PASSWORD}).status_code == 303
    user = session.exec(select(User).where(User.email == EMAIL)).one()
    session.refresh(user)
    assert not user.totp_enabled and user.totp_secret == ""
    auth.logout()
    assert auth.login(EMAIL).headers["Location"] == "/"
