"""Fortnox's OpenAPI document (sandbox/reference/openapi.json): paths, parameters, schemas."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parent / "reference"
PARAM = re.compile(r"\{[^/{}]+\}")


@cache
def document() -> dict:
    """The whole OpenAPI document, parsed once per process."""
    return json.loads((REFERENCE / "openapi.json").read_text(encoding="utf-8"))


@cache
def _recorded() -> tuple[dict, ...]:
    """The exchanges recorded from the production API, parsed once."""
    data = json.loads((REFERENCE / "recorded.json").read_text(encoding="utf-8"))
    return tuple(data["exchanges"])


def recorded(case: str | None = None) -> list[dict]:
    """Recorded exchanges (all, or the one named case, e.g. "orders/all")."""
    return [e for e in _recorded() if case is None or e["case"] == case]


def resolve(schema: dict | None) -> dict:
    """A schema with its $ref followed (to the end of a chain); {} for none."""
    schemas = document()["components"]["schemas"]
    seen = 0
    while schema and "$ref" in schema and seen < 32:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        seen += 1
    return schema or {}


def schema(name: str) -> dict:
    """A named component schema, e.g. "fortnox_Order"."""
    return resolve({"$ref": f"#/components/schemas/{name}"})


@dataclass(frozen=True)
class Operation:
    """One method on one path template of the specification."""

    method: str
    template: str

    @property
    def raw(self) -> dict:
        """The operation object of the document."""
        return document()["paths"][self.template][self.method.lower()]

    def query_params(self) -> frozenset[str]:
        """Names of the query parameters the path declares, lower case (Fortnox's own case)."""
        return frozenset(
            str(p.get("name", "")).lower()
            for p in self.raw.get("parameters", [])
            if p.get("in") == "query"
        )

    def search_params(self) -> frozenset[str]:
        """The search parameters a GET list's tag lists in its table ("Possible search params")."""
        if self.method != "GET" or PARAM.search(self.template):
            return frozenset()
        tags = {t["name"]: t.get("description", "") for t in document().get("tags", [])}
        text = " ".join(tags.get(name, "") for name in self.raw.get("tags", []))
        if "search param" not in text.lower():
            return frozenset()
        return frozenset(re.findall(r"<td>([a-z0-9]+)</td>", text))

    def param_schema(self, name: str) -> dict:
        """The schema of a declared query parameter ({} when it is not declared)."""
        for param in self.raw.get("parameters", []):
            if param.get("in") == "query" and str(param.get("name", "")).lower() == name:
                return resolve(param.get("schema"))
        return {}

    def response_schema(self, status: int = 200) -> dict:
        """The JSON schema of a successful answer: the given status, else the first 2xx one."""
        responses = self.raw.get("responses", {})
        codes = [str(status)] + sorted(c for c in responses if c.startswith("2"))
        for code in codes:
            content = (responses.get(code) or {}).get("content") or {}
            media = content.get("application/json") or next(iter(content.values()), None)
            if media and media.get("schema"):
                return resolve(media["schema"])
        return {}


@cache
def _routes() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Path templates as patterns, the most literal first (sublist/{S} before {S}/{N})."""
    routes = []
    for template in document()["paths"]:
        literal = len([s for s in template.split("/") if s and not PARAM.fullmatch(s)])
        pattern = re.compile(
            "^"
            + PARAM.sub("[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}"))
            + "$"
        )
        routes.append((literal, template, pattern))
    routes.sort(key=lambda r: (-r[0], r[1]))
    return tuple((pattern, template) for _, template, pattern in routes)


def template(path: str) -> str | None:
    """The specification's template for a concrete path ("/3/orders/7" → "/3/orders/{...}")."""
    path = "/" + path.strip("/")
    for pattern, name in _routes():
        if pattern.match(path):
            return name
    return None


def operation(method: str, path: str) -> Operation | None:
    """The documented operation for a method and a concrete path, or None."""
    name = template(path)
    if name is None or method.lower() not in document()["paths"][name]:
        return None
    return Operation(method.upper(), name)


def schema_type(schema: dict) -> str | None:
    """The JSON type a schema declares (object when it only lists properties)."""
    schema = resolve(schema)
    return schema.get("type") or ("object" if "properties" in schema else None)


def props(schema: dict) -> dict[str, Any]:
    """The declared properties of an object schema."""
    return resolve(schema).get("properties") or {}
