"""Sign-in and language switches never send the browser to another site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from app.redirects import same_site
from tests.factories import PASSWORD
from tests.security.world import World

HOSTILE = [
    "//evil.example",
    "//evil.example/c/1",
    "https://evil.example",
    "http://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https:evil.example",
    "///evil.example",
    "/%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\x00//evil.example",
    "/\x0b/evil.example",
    "https:evil.example/c/1",
    "http:/evil.example",
    "vbscript:msgbox(1)",
]
SAME_SITE = [
    "/",
    "/c/7/closures?state=held",
    "/c/7/closures?q=a%2Fb&page=2",
    "/c/7/dashboard/cell/S%C3%851/2026-11-24",
    "/c/7/reports#latest",
]


def _stays_home(location: str) -> bool:
    """True when a browser following location stays on this site."""
    # Browsers read "\" as "/" and drop tabs and newlines (WHATWG URL), so normalise first.
    seen = location.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "")
    seen = seen.strip()
    parts = urlsplit(seen)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return False
    if parts.netloc and parts.netloc != "localhost":
        return False
    return seen.startswith("/") and not seen.startswith("//") or parts.netloc == "localhost"


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_not_same_site(target: str) -> None:
    """Every trick that a browser could follow off the site is refused outright."""
    assert not same_site(target)


@pytest.mark.parametrize("target", SAME_SITE)
def test_site_paths_are_same_site(target: str) -> None:
    """Paths on this site, with queries, encoded characters and fragments, pass."""
    assert same_site(target)


@pytest.mark.parametrize("target", HOSTILE)
def test_login_next_stays_on_site(client, world: World, target: str) -> None:
    """A hostile `next` on the sign-in form lands on the overview instead."""
    answer = client.post(
        f"/auth/login?next={target}",
        data={"email": world.emails["admin"], "password": PASSWORD, "next": target},
    )
    assert answer.status_code == 303
    assert _stays_home(answer.headers["Location"]), answer.headers["Location"]
    assert urlsplit(answer.headers["Location"]).path == "/", "a refused next lands on the overview"


@pytest.mark.parametrize("target", HOSTILE)
def test_language_next_stays_on_site(client, target: str) -> None:
    """The language switch's `next` is held to the same rule."""
    answer = client.post("/auth/language", data={"locale": "en", "next": target})
    assert answer.status_code in (302, 303)
    assert _stays_home(answer.headers["Location"]), answer.headers["Location"]


def test_local_next_is_kept(client, world: World) -> None:
    """A path on this site is where the user goes after signing in."""
    target = f"/c/{world.home.company}/closures?state=held"
    answer = client.post(
        "/auth/login", data={"email": world.emails["admin"], "password": PASSWORD, "next": target}
    )
    assert answer.headers["Location"] == target
