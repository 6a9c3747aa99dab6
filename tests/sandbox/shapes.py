"""Holding a JSON answer against a spec schema and against an answer recorded from Fortnox."""

from __future__ import annotations

from typing import Any

from sandbox import spec

JSON_KIND = {bool: "boolean", int: "number", float: "number", str: "string", list: "array"}


def kind(value: Any) -> str:
    """The JSON type of a parsed value (integers are numbers)."""
    if value is None:
        return "null"
    return "object" if isinstance(value, dict) else JSON_KIND[type(value)]


def _declared(schema: dict) -> str | None:
    """The JSON type a schema declares, integers counted as numbers."""
    declared = spec.schema_type(schema)
    return "number" if declared == "integer" else declared


def problems(schema: dict, value: Any, where: str = "$") -> list[str]:
    """Undeclared keys and values not of the declared type (null allowed), by JSON path."""
    schema = spec.resolve(schema)
    declared = _declared(schema)
    if value is None or declared is None:
        return []
    if declared != kind(value):
        return [f"{where}: {kind(value)} where the spec declares {declared}"]
    if spec.schema_type(schema) == "integer" and value != int(value):
        return [f"{where}: {value} where the spec declares an integer"]
    found: list[str] = []
    if declared == "object" and "properties" in schema:
        props = schema["properties"]
        found += [f"{where}.{name}: not declared" for name in value if name not in props]
        for name, sub in props.items():
            if name in value:
                found += problems(sub, value[name], f"{where}.{name}")
    elif declared == "array":
        for index, item in enumerate(value):
            found += problems(schema.get("items") or {}, item, f"{where}[{index}]")
    return found


def differences(schema: dict, ours: Any, recorded: Any, where: str = "$") -> list[str]:
    """Where our answer's keys or value types differ from a recorded one.

    Allowed: keys on which the recording and the spec disagree (the spec wins), nulls, and
    values the recording sends in another type than the spec declares (the spec wins).
    """
    schema = spec.resolve(schema)
    if isinstance(ours, list) and isinstance(recorded, list):
        if not ours or not recorded:
            return []
        return differences(schema.get("items") or {}, ours[0], recorded[0], f"{where}[0]")
    if not (isinstance(ours, dict) and isinstance(recorded, dict)):
        if None in (ours, recorded) or kind(recorded) != _declared(schema):
            return []
        return [] if kind(ours) == kind(recorded) else [f"{where}: {ours!r} vs {recorded!r}"]
    props = schema.get("properties") or {}
    disagree = set(recorded) ^ set(props) if props else set()
    found = [f"{where}.{k}: key differs" for k in sorted((set(ours) ^ set(recorded)) - disagree)]
    for name in sorted(set(ours) & set(recorded)):
        found += differences(props.get(name) or {}, ours[name], recorded[name], f"{where}.{name}")
    return found
