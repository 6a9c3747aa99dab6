"""Sign in and out, throttling, language, and the security headers."""

from __future__ import annotations

import pytest

from app.auth.models import User
from tests.factories import PASSWORD, make_company, make_user


@pytest.fixture
def user(session) -> User:
    """A member of one company."""
    return make_user(session, "anna@example.se", make_company(session), "admin")


def test_sign_in_and_out(client, auth, user: User) -> None:
    """The right password signs in (303 to the overview); signing out ends it."""
    response = auth.login(user.email)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "Café Centrum AB" in client.get("/").get_data(as_text=True)
    assert auth.logout().status_code == 303
    assert client.get("/").status_code == 302


def test_email_is_case_insensitive(auth, user: User) -> None:
    """People type their address in any case."""
    assert auth.login("  Anna@Example.SE ").status_code == 303


def test_wrong_password(client, auth, user: User) -> None:
    """A wrong password says so and signs nobody in."""
    response = auth.login(user.email, "wrong-password")
    assert response.status_code == 401
    assert client.get("/").status_code == 302


def test_next_stays_on_site(client, auth, user: User) -> None:
    """After signing in the visitor lands where they were going, never on another site."""
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "next": "/c/1/stores"}
    )
    assert response.headers["Location"] == "/c/1/stores"
    auth.logout()
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD, "next": "//evil.example/x"},
    )
    assert response.headers["Location"] == "/"


def test_throttled_after_too_many_failures(app, client, auth, session, user: User) -> None:
    """After LOGIN_MAX_ATTEMPTS failures even the right password is refused for a while."""
    app.config["LOGIN_MAX_ATTEMPTS"] = 3
    for _ in range(3):
        assert auth.login(user.email, "nope-nope-nope").status_code == 401
    assert auth.login(user.email).status_code == 429
    assert client.get("/").status_code == 302
    app.config["LOGIN_MAX_ATTEMPTS"] = 4
    assert auth.login(user.email).status_code == 303


def test_inactive_user_cannot_sign_in(auth, session, user: User) -> None:
    """A deactivated account is refused."""
    user.is_active = False
    session.add(user)
    session.commit()
    assert auth.login(user.email).status_code == 401


def test_language_switch_for_anonymous_and_user(client, auth, session, user: User) -> None:
    """Swedish by default; the switch sets a cookie, and for a user their locale."""
    assert 'lang="sv"' in client.get("/auth/login").get_data(as_text=True)
    response = client.post("/auth/language", data={"locale": "en", "next": "/auth/login"})
    assert response.status_code == 303
    assert 'lang="en"' in client.get("/auth/login").get_data(as_text=True)
    auth.login(user.email)
    client.post("/auth/language", data={"locale": "sv", "next": "/"})
    session.refresh(user)
    assert user.locale == "sv"
    assert 'lang="sv"' in client.get("/").get_data(as_text=True)


def test_security_headers(client) -> None:
    """A CSP without inline script, no framing, no sniffing, no caching of pages."""
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script>" not in response.get_data(as_text=True)


def test_session_cookie_flags(app, client, auth, user: User) -> None:
    """The session cookie is HttpOnly and SameSite=Lax (and Secure outside tests)."""
    response = auth.login(user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    from config import Config

    assert Config.SESSION_COOKIE_SECURE is True or app.config["ENV_NAME"] != "production"
