"""Every route of the portal, listed from a throwaway app, for the guard tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask

from app import create_app
from app.extensions import csrf

WRITES = ("POST", "PUT", "PATCH", "DELETE")
# Views open to anonymous visitors are marked with app.auth.scoping.public; list an endpoint
# here only if it cannot carry the mark.
KNOWN_PUBLIC: set[str] = set()


@dataclass(frozen=True)
class Route:
    """One URL rule and method."""

    endpoint: str
    rule: str
    method: str
    arguments: tuple[str, ...]
    converters: tuple[tuple[str, str], ...]

    def url(self, **values: object) -> str:
        """The rule with every argument filled (given values, else 1 or 'x')."""
        path = self.rule
        for name, conv in self.converters:
            value = values.get(name, 1 if conv in ("int", "IntegerConverter") else "x")
            for pattern in (f"<int:{name}>", f"<{name}>", f"<string:{name}>", f"<path:{name}>"):
                path = path.replace(pattern, str(value))
            # <any(csv, xlsx):fmt> takes its first choice unless a value is given
            path = re.sub(
                rf"<any\(([^,)]+)[^)]*\):{name}>", lambda m, n=name: str(values.get(n, m[1])), path
            )
        return path

    @property
    def id(self) -> str:
        """A readable test id."""
        return f"{self.method} {self.rule}"


def _exempt(app: Flask, endpoint: str) -> bool:
    """Whether the endpoint skips CSRF (token-authenticated APIs do)."""
    blueprint = endpoint.rpartition(".")[0]
    if app.blueprints.get(blueprint) in csrf._exempt_blueprints:
        return True
    view = app.view_functions[endpoint]
    return f"{view.__module__}.{view.__name__}" in csrf._exempt_views


def portal_routes() -> list[Route]:
    """Every route that needs a signed-in user or an API token (static and public left out)."""
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": "sqlite://", "REDIS_URL": ""})
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or _exempt(app, rule.endpoint):
            continue
        if rule.endpoint.startswith("auth."):
            continue  # sign-in and language are for anonymous visitors too
        view = app.view_functions[rule.endpoint]
        if getattr(view, "is_public", False) or rule.endpoint in KNOWN_PUBLIC:
            continue
        converters = tuple((name, type(conv).__name__) for name, conv in rule._converters.items())
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append(
                Route(rule.endpoint, rule.rule, method, tuple(sorted(rule.arguments)), converters)
            )
    return sorted(out, key=lambda r: (r.rule, r.method))


ALL_ROUTES = portal_routes()
API_ROUTES = [r for r in ALL_ROUTES if r.rule.startswith("/api/")]
ROUTES = [r for r in ALL_ROUTES if not r.rule.startswith("/api/")]
COMPANY_ROUTES = [r for r in ROUTES if "company_id" in r.arguments]
WRITE_ROUTES = [r for r in ROUTES if r.method in WRITES]
