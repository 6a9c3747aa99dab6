"""Security headers on every page: a CSP without inline script, no framing, no sniffing."""

from __future__ import annotations

import re

import pytest

from tests.security.routes import COMPANY_ROUTES
from tests.security.world import World

GET_PAGES = sorted({r.rule for r in COMPANY_ROUTES if r.method == "GET"})


def _directives(csp: str) -> dict[str, list[str]]:
    """The CSP as directive → sources."""
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def _check(answer) -> None:
    """Assert the headers every portal answer carries."""
    h = answer.headers
    csp = _directives(h.get("Content-Security-Policy", ""))
    script = csp.get("script-src", csp.get("default-src"))
    assert script is not None, "no script-src or default-src"
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script and "*" not in script
    assert csp.get("object-src") == ["'none'"]
    assert csp.get("frame-ancestors") in (["'none'"], ["'self'"])
    assert h.get("X-Frame-Options") in ("DENY", "SAMEORIGIN")
    assert h.get("X-Content-Type-Options") == "nosniff"
    assert h.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin")


def test_login_page_headers(client) -> None:
    """The anonymous sign-in page too."""
    _check(client.get("/auth/login"))


@pytest.mark.parametrize("rule", GET_PAGES)
def test_company_pages_headers(client, auth, world: World, rule: str) -> None:
    """Every GET page of a company, as its admin, whatever it answers."""
    auth.login(world.emails["admin"])
    path = re.sub(r"<int:company_id>", str(world.home.company), rule)
    path = re.sub(r"<int:[a-z_]+>", "1", path)
    path = re.sub(r"<[a-z_:]+>", "x", path)
    answer = client.get(path)
    _check(answer)
    if answer.status_code == 200 and answer.mimetype == "text/html":
        assert answer.headers.get("Cache-Control") == "no-store"
        body = answer.data
        assert not re.search(rb"<script(?![^>]*\bsrc=)[^>]*>\s*\S", body), "inline script"
        assert not re.search(rb"\son[a-z]+=\"", body), "inline event handler"


def test_errors_and_api_have_headers(client, world: World) -> None:
    """A 404 page and an API answer carry them as well."""
    _check(client.get("/no/such/page"))
    _check(client.get("/api/v1/closures/x", headers={"Authorization": "Bearer no"}))
