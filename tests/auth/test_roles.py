"""What each role may do in its own company, and a store manager's stores."""

from __future__ import annotations

import pytest

from tests.auth.world import ROLES, World, build_world, sign_in_fast

# (method, path template, roles allowed); the others get 403.
MATRIX = (
    ("GET", "/c/{c}/settings", {"admin"}),
    ("GET", "/c/{c}/users", {"admin"}),
    ("GET", "/c/{c}/tokens", {"admin"}),
    ("GET", "/c/{c}/stores/{s}/edit", {"admin"}),
    ("GET", "/c/{c}/stores", set(ROLES)),
    ("GET", "/c/{c}/audit", {"admin", "accountant", "auditor"}),
    ("POST", "/c/{c}/stores", {"admin"}),
    ("POST", "/c/{c}/tokens", {"admin"}),
    ("POST", "/c/{c}/settings", {"admin"}),
    ("GET", "/companies/new", {"admin"}),
    ("POST", "/companies/new", {"admin"}),
)


@pytest.fixture
def world(session) -> World:
    """Two companies and a user of every role in one of them."""
    return build_world(session)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX]
)
def test_role_matrix(app, client, world: World, role, method, path, allowed) -> None:
    """Allowed roles get through; a member with another role gets 403 (not 404)."""
    sign_in_fast(app, client, world.emails[role])
    url = path.format(c=world.home, s=world.home_store)
    response = client.open(url, method=method, data={})
    if role in allowed:
        assert response.status_code < 400 or response.status_code == 422
    else:
        assert response.status_code == 403


def test_store_manager_sees_only_their_stores(client, auth, world: World) -> None:
    """The stores page lists only the manager's store; the other store's row is 404."""
    auth.login(world.emails["store_manager"])
    page = client.get(f"/c/{world.home}/stores").get_data(as_text=True)
    assert "S1" in page and "S2" not in page
    hx = {"HX-Request": "true"}
    assert client.get(f"/c/{world.home}/stores/{world.home_store}", headers=hx).status_code == 200
    assert client.get(f"/c/{world.home}/stores/{world.other_store}", headers=hx).status_code == 404


def test_nav_follows_the_role(client, auth, world: World) -> None:
    """An auditor's navigation has no Settings, Users or API tokens."""
    auth.login(world.emails["auditor"])
    page = client.get(f"/c/{world.home}/audit").get_data(as_text=True)
    assert f"/c/{world.home}/audit" in page
    assert f"/c/{world.home}/settings" not in page
    assert f"/c/{world.home}/tokens" not in page
