"""One rule for roles: a member refused by role gets 403; 404 is only for what is not theirs.

SPEC "Users and what each does" and app/auth/scoping.py: a company the user does not belong to,
or an object outside their company or stores, is 404; a member whose role may not use a page
gets 403 there, whichever area the page belongs to.
"""

from __future__ import annotations

import pytest

from tests.security.routes import COMPANY_ROUTES, Route
from tests.security.world import World

# The admin last: the others' refused writes must leave the admin's object as it was.
ORDER = ("store_manager", "auditor", "accountant", "admin")


def _status(client, route: Route, url: str) -> int:
    """The status of route's method on url, with a harmless form body."""
    answer = client.open(url, method=route.method, data={"name": "x", "note": "x"})
    return answer.status_code


@pytest.mark.parametrize("route", COMPANY_ROUTES, ids=lambda r: r.id)
def test_a_role_is_refused_with_403_not_404(client, auth, world: World, route: Route) -> None:
    """On its own company's objects (the store manager's own store), no role is told 404
    where the admin is not."""
    url = route.url(world.home.company, world.home, "S1")
    seen = {}
    for role in ORDER:
        auth.login(world.emails[role])
        seen[role] = _status(client, route, url)
        auth.logout()
    if seen["admin"] == 404:
        pytest.skip("the route's neutral arguments name nothing in the home company")
    assert {r: s for r, s in seen.items() if s == 404} == {}, f"{route.id}: {seen}"
