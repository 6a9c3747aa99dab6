"""Nobody reaches another company's data, and anonymous visitors are sent to sign in."""

from __future__ import annotations

import pytest

from tests.auth.routes import API_ROUTES, COMPANY_ROUTES, ROUTES, Route
from tests.auth.world import ROLES, World, build_world, sign_in_fast


@pytest.fixture
def world(session) -> World:
    """Two companies and a user of every role in one of them."""
    return build_world(session)


def _call(client, route: Route, url: str, **kw):
    """Send route's method to url."""
    return client.open(url, method=route.method, **kw)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_anonymous_is_sent_to_sign_in(client, world: World, route: Route) -> None:
    """Every page and action asks an anonymous visitor to sign in first."""
    response = _call(client, route, route.url(company_id=world.home))
    assert response.status_code in (302, 303), response.status_code
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_anonymous_htmx_gets_a_full_page_redirect(client, world: World, route: Route) -> None:
    """An htmx request of an anonymous visitor is told to load the sign-in page."""
    response = _call(
        client, route, route.url(company_id=world.home), headers={"HX-Request": "true"}
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/auth/login")


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda r: r.id)
def test_api_without_a_token_is_401(client, world: World, route: Route) -> None:
    """The POS's APIs answer 401 without a valid token, never data."""
    response = _call(client, route, route.url(company_id=world.home))
    assert response.status_code == 401
    bad = {"Authorization": "Bearer kb_not-a-token"}
    assert _call(client, route, route.url(company_id=world.home), headers=bad).status_code == 401


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", COMPANY_ROUTES, ids=lambda r: r.id)
def test_foreign_company_is_404(app, client, world: World, route: Route, role: str) -> None:
    """Whatever the role at home, every route of a foreign company answers 404 (htmx too)."""
    sign_in_fast(app, client, world.emails[role])
    url = route.url(**world.foreign_args())
    response = _call(client, route, url)
    assert response.status_code == 404, f"{route.id} as {role}: {response.status_code}"
    response = _call(client, route, url, headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert b"<html" not in response.data


def test_home_company_of_another_user_is_404(client, auth, world: World) -> None:
    """A user without any membership sees no company at all."""
    from tests.factories import make_user

    with client.application.app_context():
        from app.db import get_session

        make_user(get_session(), "nobody@home.test")
    auth.login("nobody@home.test")
    assert client.get(f"/c/{world.home}/stores").status_code == 404
    assert client.get("/").status_code == 200
