"""One rule for roles: a member refused by role gets 403; 404 is only for what is not theirs.

SPEC "Users and what each does" and app/auth/scoping.py: a company the user does not belong to,
or an object outside their company or stores, is 404; a member whose role may not use a page
gets 403 there, whichever area the page belongs to.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from app.fortnox.models import FortnoxConnection
from tests.auth.world import sign_in_fast
from tests.security.routes import COMPANY_ROUTES, Route
from tests.security.world import World

# The admin last: the others' refused writes must leave the admin's object as it was.
ORDER = ("store_manager", "auditor", "accountant", "admin")


def _status(client, route: Route, url: str) -> int:
    """The status of route's method on url, with a harmless form body."""
    answer = client.open(url, method=route.method, data={"name": "x", "note": "x"})
    return answer.status_code


@pytest.mark.parametrize("route", COMPANY_ROUTES, ids=lambda r: r.id)
def test_a_role_is_refused_with_403_not_404(app, client, world: World, route: Route) -> None:
    """On its own company's objects (the store manager's own store), no role is told 404
    where the admin is not."""
    url = route.url(world.home.company, world.home, "S1")
    seen = {}
    for role in ORDER:
        sign_in_fast(app, client, world.emails[role])  # sixty routes × four roles: skip scrypt
        seen[role] = _status(client, route, url)
    if seen["admin"] == 404:
        pytest.skip("the route's neutral arguments name nothing in the home company")
    assert {r: s for r, s in seen.items() if s == 404} == {}, f"{route.id}: {seen}"


def _links(html: str, company: int) -> set[str]:
    """The company's page links (href) in html, without fragments."""
    found = re.findall(rf'href="(/c/{company}/[^"#]*)', html)
    return {unescape(link) for link in found}


@pytest.mark.parametrize("role", ("store_manager", "auditor", "accountant", "admin"))
def test_no_page_links_a_role_to_a_refusal(client, auth, session, world: World, role: str):
    """Every link a role is shown on its navigation pages opens for that role (no 403 behind
    a link), the Fortnox badge and the lost-connection banner included."""
    home = world.home.company
    session.add(FortnoxConnection(company_id=home, status="lost", lost_reason="revoked"))
    session.commit()
    auth.login(world.emails[role])
    start = client.get(f"/c/{home}/closures")
    assert start.status_code == 200
    shown = start.get_data(as_text=True)
    assert 'id="fortnox-badge"' in shown and 'id="fortnox-lost-banner"' in shown
    pages = {f"/c/{home}/closures"} | _links(shown, home)
    refused = {}
    for page in sorted(pages):
        answer = client.get(page)
        if answer.status_code == 403:
            refused[page] = 403
        elif answer.status_code == 200 and answer.mimetype == "text/html":
            for link in _links(answer.get_data(as_text=True), home) - pages:
                status = client.get(link).status_code
                if status == 403:
                    refused[f"{link} (on {page})"] = status
    assert refused == {}
