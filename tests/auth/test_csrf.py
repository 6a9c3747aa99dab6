"""Every form and htmx request needs the CSRF token; the header the base template sets works."""

from __future__ import annotations

import re

import pytest

from tests.auth.routes import WRITE_ROUTES, Route
from tests.auth.world import World, build_world, sign_in_fast


@pytest.fixture
def world(session) -> World:
    """Two companies and a user of every role in one of them."""
    return build_world(session)


def _token(html: bytes) -> str:
    """The CSRF token a page carries in its forms."""
    match = re.search(rb'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1).decode()


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=lambda r: r.id)
def test_write_without_csrf_is_refused(app, client, world: World, route: Route) -> None:
    """Every POST/PUT/DELETE without a token answers 400, even for the company's admin."""
    sign_in_fast(app, client, world.emails["admin"])
    app.config["WTF_CSRF_ENABLED"] = True
    args = {"company_id": world.home, "store_pk": world.home_store}
    response = client.open(route.url(**args), method=route.method, data={"name": "x"})
    assert response.status_code == 400, f"{route.id}: {response.status_code}"


def test_sign_in_without_csrf_is_refused(app, client, world: World) -> None:
    """Even the sign-in form needs its token."""
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/auth/login", data={"email": world.emails["admin"], "password": "x"})
    assert response.status_code == 400


def test_sign_in_and_htmx_with_header_token(app, client, world: World) -> None:
    """The login form's token signs in; the body's hx-headers token authorises htmx writes."""
    from tests.factories import PASSWORD

    app.config["WTF_CSRF_ENABLED"] = True
    token = _token(client.get("/auth/login").data)
    response = client.post(
        "/auth/login",
        data={"email": world.emails["admin"], "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 303
    page = client.get(f"/c/{world.home}/stores").data
    header = re.search(rb'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page)
    assert header, "base template sets no CSRF header"
    response = client.put(
        f"/c/{world.home}/stores/{world.home_store}",
        data={"store_id": "S1", "name": "Ett nytt", "cost_center": "S1"},
        headers={"HX-Request": "true", "X-CSRFToken": header.group(1).decode()},
    )
    assert response.status_code == 200
    assert b"Ett nytt" in response.data
