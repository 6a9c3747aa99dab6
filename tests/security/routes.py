"""Every rule of app.url_map with a method, and how to fill its arguments from a World side."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from app import create_app
from app.extensions import csrf
from tests.security.world import Side

WRITES = ("POST", "PUT", "PATCH", "DELETE")
# Arguments naming one object of a company or store: it must belong to the URL's company.
OBJECT_ARGS = {
    "pk",
    "store_pk",
    "store_code",
    "store",  # the clearing day's store code
    "rejected_id",
    "report_id",
    "token_id",
    "membership_id",
    "job_id",
}
STORE_ARGS = {"pk", "store_pk", "store_code", "store"}  # those a store manager may or may not hold
NEUTRAL = {
    "day": "2026-11-24",
    "action": "retry",
    "what": "closures",
    "token": "x" * 20,
    "closure_id": "sec:F1:Z100",
    "fmt": "csv",  # an export's format
    "method": "CARD",  # a payment method of a clearing day
    "entry_id": "1",  # a bank entry: the view answers 404 for one of another company
}
SKIPPED = {"filename", "name"}  # static files; a caught demo mail (admin-only, no company)


@dataclass(frozen=True)
class Route:
    """One URL rule and one of its methods."""

    endpoint: str
    rule: str
    method: str
    arguments: frozenset[str]
    exempt: bool

    @property
    def id(self) -> str:
        """A readable test id."""
        return f"{self.method} {self.rule}"

    def unknown(self) -> set[str]:
        """Arguments this module does not know how to fill yet."""
        return set(self.arguments) - OBJECT_ARGS - set(NEUTRAL) - SKIPPED - {"company_id"}

    def url(self, company: int, side: Side, store: str) -> str:
        """The path with company_id, side's objects (of store where per store), the rest neutral."""
        values: dict[str, object] = {
            "company_id": company,
            "pk": side.closures[store],
            "store_pk": side.stores[store],
            "store_code": store,
            "store": store,
            "rejected_id": side.refused,
            "report_id": side.report,
            "token_id": side.token_id,
            "membership_id": side.membership,
            "job_id": f"reconcile-{side.company}-2026-11",
            **NEUTRAL,
        }
        path = self.rule
        for name in self.arguments:
            for pattern in (f"<int:{name}>", f"<{name}>", f"<string:{name}>", f"<path:{name}>"):
                path = path.replace(pattern, str(values.get(name, "x")))
        return path


def _exempt(app: Flask, endpoint: str) -> bool:
    """Whether CSRF protection skips the endpoint (the token-authenticated API)."""
    blueprint = endpoint.rpartition(".")[0]
    if app.blueprints.get(blueprint) in csrf._exempt_blueprints:
        return True
    view = app.view_functions[endpoint]
    return f"{view.__module__}.{view.__name__}" in csrf._exempt_views


def all_routes() -> list[Route]:
    """Every rule and method of a freshly built app (static files left out)."""
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": "sqlite://", "REDIS_URL": ""})
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            exempt = _exempt(app, rule.endpoint)
            out.append(Route(rule.endpoint, rule.rule, method, frozenset(rule.arguments), exempt))
    return sorted(out, key=lambda r: (r.rule, r.method))


ROUTES = all_routes()
COMPANY_ROUTES = [r for r in ROUTES if "company_id" in r.arguments]
OBJECT_ROUTES = [r for r in COMPANY_ROUTES if r.arguments & OBJECT_ARGS]
STORE_ROUTES = [r for r in COMPANY_ROUTES if r.arguments & STORE_ARGS]
WRITE_ROUTES = [r for r in ROUTES if r.method in WRITES and not r.exempt]
EXEMPT_ROUTES = [r for r in ROUTES if r.exempt]
