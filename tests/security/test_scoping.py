"""Every route of app.url_map, every role: another company's or store's data is 404, untouched."""

from __future__ import annotations

import pytest

from tests.security.routes import COMPANY_ROUTES, OBJECT_ROUTES, ROUTES, STORE_ROUTES, Route
from tests.security.snapshot import snapshot
from tests.security.world import ROLES, World


def _open(client, route: Route, url: str, htmx: bool = False):
    """Send route's method to url with a harmless form body."""
    headers = {"HX-Request": "true"} if htmx else {}
    return client.open(url, method=route.method, data={"name": "x", "note": "x"}, headers=headers)


def _refused(client, route: Route, url: str, own_url: str) -> None:
    """url must answer 404; a 403 only when the role is refused its own object the same way."""
    answer = _open(client, route, url)
    assert b"sec:F1" not in answer.data and b"Butik F1" not in answer.data, route.id
    assert b"sec:S2" not in answer.data or "S1" in url, route.id
    status = answer.status_code
    if status == 403:
        assert _open(client, route, own_url).status_code == 403, f"{route.id}: 403 leaks"
        return
    assert status == 404, f"{route.id} answered {status}"


def test_every_route_argument_is_known() -> None:
    """A new URL argument must be taught to tests/security/routes.py, so it gets scoped too."""
    assert {r.id: r.unknown() for r in ROUTES if r.unknown()} == {}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.id)
def test_foreign_object_under_home_company_is_404(
    client, auth, session, world: World, route: Route, role: str
) -> None:
    """/c/<home>/.../<an id of the foreign company> is 404 for every role, and changes nothing."""
    before = snapshot(session, world.foreign.company)
    auth.login(world.emails[role])
    url = route.url(world.home.company, world.foreign, "F1")
    _refused(client, route, url, route.url(world.home.company, world.home, "S1"))
    assert snapshot(session, world.foreign.company) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", COMPANY_ROUTES, ids=lambda r: r.id)
def test_foreign_company_is_404(client, auth, session, world: World, route: Route, role: str):
    """/c/<foreign>/... with the foreign company's real ids is 404, also under htmx."""
    before = snapshot(session, world.foreign.company)
    auth.login(world.emails[role])
    url = route.url(world.foreign.company, world.foreign, "F1")
    assert _open(client, route, url).status_code == 404, route.id
    answer = _open(client, route, url, htmx=True)
    assert answer.status_code == 404 and b"<html" not in answer.data
    assert snapshot(session, world.foreign.company) == before


@pytest.mark.parametrize("route", STORE_ROUTES, ids=lambda r: r.id)
def test_store_manager_sees_only_their_stores(
    client, auth, session, world: World, route: Route
) -> None:
    """A store manager holding S1 gets 404 for S2's closures and store, and changes nothing."""
    before = snapshot(session, world.home.company)
    auth.login(world.emails["store_manager"])
    url = route.url(world.home.company, world.home, "S2")
    _refused(client, route, url, route.url(world.home.company, world.home, "S1"))
    after = snapshot(session, world.home.company)
    assert after["closures"] == before["closures"] and after["stores"] == before["stores"]


def test_store_manager_lists_hide_other_stores(client, auth, world: World) -> None:
    """Lists and the API scoped by session show a store manager nothing of S2."""
    auth.login(world.emails["store_manager"])
    home = world.home.company
    for path in (f"/c/{home}/closures", f"/c/{home}/dashboard?month=2026-11"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert b"sec:S2:" not in page.data and b"Butik S2" not in page.data, path
    query = f"company={world.home.orgnr}&from=2026-11-01&to=2026-11-30"
    answer = client.get(f"/api/v1/reconciliation?{query}")
    assert answer.status_code == 200
    assert b"S2" not in answer.data and b"S1" in answer.data
