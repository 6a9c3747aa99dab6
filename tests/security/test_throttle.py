"""Password guessing is limited per account and slowed down per address (counted in Redis)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.factories import PASSWORD, make_user
from tests.security.world import World


@pytest.fixture(autouse=True)
def _cheap_misses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unknown emails are checked against a hash as cheap as the test users' (was 0.15 s a miss)."""
    from app.auth import service
    from tests import factories

    monkeypatch.setattr(service, "_DUMMY_HASH", factories._HASH)


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


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The throttle's clock, stopped; tests move it by adding milliseconds to clock[0]."""
    from app.auth import throttle

    now = [1_900_000_000_000]
    monkeypatch.setattr(throttle, "_now_ms", lambda: now[0])
    return now


def _spray(client, count: int, addr: str) -> list[int]:
    """Wrong passwords for count different accounts from addr; the statuses."""
    return [
        _login(client, f"spray-{n}@home.test", "wrong-password", addr=addr).status_code
        for n in range(count)
    ]


def test_address_spraying_meets_a_growing_delay(app, client, world: World, clock) -> None:
    """An address spraying accounts is slowed by a delay that doubles, never locked out: the
    right password of another user from the same address gets in once the delay has passed."""
    free = app.config["LOGIN_ADDRESS_FREE"]
    assert _spray(client, free + 1, "10.0.2.1") == [401] * (free + 1)
    refused = _login(client, world.emails["auditor"], PASSWORD, addr="10.0.2.1")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert _login(client, world.emails["auditor"], PASSWORD, addr="10.0.2.2").status_code == 303
    clock[0] += 1000
    assert _spray(client, 2, "10.0.2.1") == [401, 429]  # the next wait is 2 s
    clock[0] += 1000
    assert _login(client, "spray-x@home.test", "wrong", addr="10.0.2.1").status_code == 429
    clock[0] += 1000
    waits = []
    for n in range(8):
        answer = _login(client, f"spray-y{n}@home.test", "wrong-password", addr="10.0.2.1")
        assert answer.status_code == 401
        waits.append(int(_login(client, "a@b.test", "x", addr="10.0.2.1").headers["Retry-After"]))
        clock[0] += waits[-1] * 1000
    assert waits == [4, 8, 16, 32, 60, 60, 60, 60]  # doubling, capped at LOGIN_ADDRESS_MAX_DELAY
    assert _login(client, world.emails["auditor"], PASSWORD, addr="10.0.2.1").status_code == 303


def test_parallel_guesses_never_pass_the_limit(app, world: World) -> None:
    """30 wrong passwords sent at once check no more than LOGIN_MAX_ATTEMPTS of them; another
    user's right password from the same address still gets in."""
    limit = app.config["LOGIN_MAX_ATTEMPTS"]
    email = world.emails["accountant"]
    barrier = threading.Barrier(30)

    def guess(n: int) -> int:
        client = app.test_client()
        barrier.wait()
        return _login(client, email, f"wrong-guess-{n}", addr="10.0.6.1").status_code

    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(guess, range(30)))
    assert statuses.count(401) == limit, statuses
    assert statuses.count(429) == 30 - limit
    assert _login(app.test_client(), email, PASSWORD, addr="10.0.6.2").status_code == 429
    other = _login(app.test_client(), world.emails["auditor"], PASSWORD, addr="10.0.6.1")
    assert other.status_code == 303


def test_the_window_ends_the_account_wait(app, client, world: World, clock) -> None:
    """An account waits LOGIN_WINDOW_SECONDS after its failures, then the right password works;
    a success clears the count."""
    email = world.emails["admin"]
    for n in range(app.config["LOGIN_MAX_ATTEMPTS"]):
        _login(client, email, f"wrong-{n}", addr=f"10.0.7.{n}")
    answer = _login(client, email, PASSWORD, addr="10.0.7.9")
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == str(app.config["LOGIN_WINDOW_SECONDS"])
    clock[0] += app.config["LOGIN_WINDOW_SECONDS"] * 1000
    assert _login(app.test_client(), email, PASSWORD, addr="10.0.7.9").status_code == 303
    for n in range(app.config["LOGIN_MAX_ATTEMPTS"] - 1):
        assert _login(client, email, f"wrong-{n}", addr="10.0.7.1").status_code == 401


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


def test_throttle_counts_the_forwarded_client_behind_a_proxy(
    app, proxied, world: World, clock
) -> None:
    """Behind a trusted proxy one client's spray delays that client, not everyone at the proxy."""
    free = app.config["LOGIN_ADDRESS_FREE"]
    for n in range(free + 1):
        _via_proxy(proxied, f"spray-{n}@home.test", "wrong-password", "198.51.100.7")
    assert _via_proxy(proxied, world.emails["auditor"], PASSWORD, "198.51.100.7").status_code == 429
    assert _via_proxy(proxied, world.emails["auditor"], PASSWORD, "198.51.100.8").status_code == 303


def test_only_the_proxys_own_hop_is_believed(app, proxied, world: World, clock) -> None:
    """A client cannot dodge the throttle by sending its own X-Forwarded-For through the proxy."""
    free = app.config["LOGIN_ADDRESS_FREE"]
    for n in range(free + 1):
        forged = f"203.0.113.{n}, 198.51.100.9"  # the proxy appends the real client last
        _via_proxy(proxied, f"spray-{n}@home.test", "wrong-password", forged)
    answer = _via_proxy(proxied, world.emails["auditor"], PASSWORD, "203.0.113.99, 198.51.100.9")
    assert answer.status_code == 429


def test_forwarded_header_is_ignored_without_a_proxy(app, client, world: World, clock) -> None:
    """With no proxy configured (the default) a forged X-Forwarded-For changes nothing."""
    assert app.config["TRUSTED_PROXIES"] == 0
    free = app.config["LOGIN_ADDRESS_FREE"]
    for n in range(free + 1):
        _via_proxy(client, f"spray-{n}@home.test", "wrong-password", f"203.0.113.{n}")
    assert _via_proxy(client, world.emails["auditor"], PASSWORD, "203.0.113.250").status_code == 429
