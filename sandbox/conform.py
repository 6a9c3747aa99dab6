"""Answers shaped by the spec: the keys a path's response schema declares, typed as declared.

One filter for every successful /3/ answer. A key the schema does not declare is dropped (an order
list item has no YourOrderNumber, an invoice list item no TotalVAT); a declared key the sandbox
does not keep is sent the way Fortnox sends an unset one (recorded.json: "" for text, 0 for
amounts, null for dates and most integers, false, [], an object of such); scalars take the
declared type (a quantity declared string goes out as "3"). The top-level MetaInformation of a
list stays, as recorded, though the spec's list wrappers do not declare it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox import spec

META = "MetaInformation"


def answer(method: str, path: str, status: int, body: Any) -> Any:
    """body as Fortnox would send it on this path (unchanged where the spec has no schema)."""
    operation = spec.operation(method, path)
    schema = operation.response_schema(status) if operation else {}
    if not schema or not isinstance(body, dict):
        return body
    shaped = shape(schema, body)
    if META in body:
        shaped = {META: body[META], **shaped}
    return shaped


def shape(schema: dict, value: Any) -> Any:
    """value held to schema: undeclared keys dropped, declared ones filled and typed."""
    schema = spec.resolve(schema)
    kind = spec.schema_type(schema)
    if value is None:
        return None
    if kind == "object" and "properties" in schema and isinstance(value, dict):
        return {
            name: shape(sub, value[name]) if name in value else blank(sub)
            for name, sub in schema["properties"].items()
        }
    if kind == "array" and isinstance(value, list | tuple):
        return [shape(schema.get("items") or {}, item) for item in value]
    return scalar(kind, value)


def blank(schema: dict) -> Any:
    """What Fortnox sends for a declared key nothing set (as in recorded.json)."""
    schema = spec.resolve(schema)
    kind = spec.schema_type(schema)
    if kind == "object":
        return {name: blank(sub) for name, sub in (schema.get("properties") or {}).items()}
    if kind == "string":
        return None if schema.get("format", "").startswith("date") else ""
    return {"array": [], "boolean": False, "number": 0}.get(kind or "")


def scalar(kind: str | None, value: Any) -> Any:
    """A scalar in the declared JSON type, when it converts without loss; else as it is."""
    if kind == "string" and not isinstance(value, str):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return format(value, "f")
        return str(value) if isinstance(value, int | float) else value
    if kind in ("number", "integer") and isinstance(value, str | Decimal):
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            return value
        if kind == "integer":
            return int(number) if number == number.to_integral_value() else value
        return number
    if kind == "boolean" and isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return value
