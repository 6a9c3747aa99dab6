"""Every write of the portal needs a CSRF token; only the Bearer-token API is exempt."""

from __future__ import annotations

import pytest

from tests.security.routes import EXEMPT_ROUTES, WRITE_ROUTES, Route
from tests.security.snapshot import snapshot
from tests.security.world import World, closure_payload


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=lambda r: r.id)
def test_write_without_csrf_is_refused(app, client, auth, session, world: World, route: Route):
    """The company admin's own POST/PUT/DELETE without a token is 400 and changes nothing."""
    auth.login(world.emails["admin"])
    before = snapshot(session, world.home.company)
    app.config["WTF_CSRF_ENABLED"] = True
    url = route.url(world.home.company, world.home, "S1")
    form = {"name": "x", "note": "x", "comment": "x", "locale": "en", "email": "a@b.c"}
    answer = client.open(url, method=route.method, data=form)
    assert answer.status_code == 400, f"{route.id}: {answer.status_code}"
    assert snapshot(session, world.home.company) == before
    htmx = client.open(url, method=route.method, data=form, headers={"HX-Request": "true"})
    assert htmx.status_code == 400


def test_wrong_csrf_token_is_refused(app, client, auth, world: World) -> None:
    """A made-up token in the header or the form is no better than none."""
    auth.login(world.emails["admin"])
    app.config["WTF_CSRF_ENABLED"] = True
    url = f"/c/{world.home.company}/tokens/{world.home.token_id}/revoke"
    assert client.post(url, headers={"X-CSRFToken": "forged"}).status_code == 400
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 400


def test_only_the_token_api_is_exempt() -> None:
    """CSRF exemption is for /api/ endpoints that authenticate by Bearer token only."""
    assert EXEMPT_ROUTES, "the POS API is expected to be exempt"
    assert all(r.rule.startswith("/api/") for r in EXEMPT_ROUTES)


def test_exempt_api_ignores_the_session_cookie(app, client, auth, world: World) -> None:
    """A signed-in browser cannot post closures without a token (so the exemption is safe)."""
    auth.login(world.emails["admin"])
    app.config["WTF_CSRF_ENABLED"] = True
    answer = client.post("/api/v1/closures", json=closure_payload("S1", 900))
    assert answer.status_code == 401
    assert client.get("/api/v1/closures/sec:S1:Z100").status_code == 401
