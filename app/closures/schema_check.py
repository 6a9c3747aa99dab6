"""The closure schema compiled to plain checks: each error once, in path order, in linear time."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

Path = tuple[str | int, ...]
_STRUCTURE = ("properties", "items")
_IGNORED = {"$schema", "$id", "$defs", "title", "description", "default"}


class SchemaError(NamedTuple):
    """One keyword an instance fails, shaped like jsonschema's ValidationError where we read it."""

    absolute_path: Path
    validator: str
    validator_value: Any
    instance: Any
    schema: dict[str, Any]
    message: str = ""


Emit = Callable[[SchemaError], None]
Check = Callable[[Any, Path, Emit], None]


@lru_cache(maxsize=32)
def regex(pattern: str) -> re.Pattern[str]:
    """The pattern compiled; ECMA-262 "$" never matches before a final newline: anchor hard."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _is_integer(value: object) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


TYPES: dict[str, Callable[[object], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": _is_integer,
    "number": _is_number,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
# The classes JSON parses into, and the type each surely is (a float may or may not be integer).
_CLASSES: dict[type, str | None] = {
    str: "string", dict: "object", list: "array", int: "integer", bool: "boolean",
    float: None, Decimal: "number", type(None): "null",
}  # fmt: skip
_ONLY: dict[str, tuple[type, ...]] = {
    "pattern": (str,), "format": (str,), "minLength": (str,), "maxLength": (str,),
    "minItems": (list,), "maxItems": (list,), "required": (dict,),
    "additionalProperties": (dict,), "minimum": (int, float, Decimal),
    "contentEncoding": (str,), "contentMediaType": (str,),
}  # fmt: skip
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
# What a document of each media type a closure may carry starts with.
MAGIC = {"application/pdf": b"%PDF-"}
Test = tuple[str, Any, Callable[[Any], Any]]


def is_base64(text: str) -> bool:
    """Whether text is base64 as RFC 4648 writes it: no line breaks, padded to 4 characters."""
    return len(text) % 4 == 0 and _BASE64.fullmatch(text) is not None


def not_of_type(text: str, magic: bytes) -> bool:
    """Whether base64 text decodes to bytes that do not start as the media type's files do."""
    if not is_base64(text):
        return False  # contentEncoding says so; one problem is enough
    head = text[: 4 * -(-len(magic) // 3)]  # the characters that hold the first len(magic) bytes
    return not base64.b64decode(head).startswith(magic)


def _test(kind: str, value: Any, node: dict, formats: dict[str, Callable]) -> Test:
    """One non-structural keyword as (kind, value, a predicate true when the instance fails)."""
    if kind == "type":
        ok = TYPES[value]
        return kind, value, lambda i: not ok(i)
    if kind in ("const", "enum"):
        # Only strings are allowed values here, and a string equals only the same string.
        allowed = frozenset([value] if kind == "const" else value)
        if not all(isinstance(v, str) for v in allowed):
            raise ValueError(f"schema keyword {kind}={value!r}: only strings are supported")
        return kind, value, lambda i: not isinstance(i, str) or i not in allowed
    if kind == "pattern":
        search = regex(value).search
        return kind, value, lambda i: not search(i)
    if kind == "format":
        conforms = formats.get(value, lambda _v: True)
        return kind, value, lambda i: not conforms(i)
    if kind in ("minLength", "minItems"):
        return kind, value, lambda i: len(i) < value
    if kind in ("maxLength", "maxItems"):
        return kind, value, lambda i: len(i) > value
    if kind == "minimum":
        return kind, value, lambda i: not isinstance(i, bool) and i < value
    if kind == "required":
        # One error naming every missing field (jsonschema raises one per field).
        return kind, value, lambda i: [name for name in value if name not in i]
    if kind == "contentEncoding" and value == "base64":
        return kind, value, lambda i: not is_base64(i)
    if kind == "contentMediaType" and value in MAGIC:
        return kind, value, lambda i: not_of_type(i, MAGIC[value])
    if kind == "additionalProperties" and value is False:
        allowed = frozenset(node.get("properties", {}))
        return kind, value, lambda i: not allowed.issuperset(i)
    raise ValueError(f"schema keyword {kind}={value!r} is not supported")


def _tables(tests: list[Test]) -> dict[type, list[Test]]:
    """Per class of instance, the tests that can fail for it, in the schema's order."""
    tables: dict[type, list[Test]] = {}
    for cls, surely in _CLASSES.items():
        tables[cls] = [
            test
            for test in tests
            if cls in _ONLY.get(test[0], (cls,))
            and not (test[0] == "type" and surely is not None and test[1] == surely)
        ]
    return tables


def compile_schema(schema: dict[str, Any], formats: dict[str, Callable]) -> Check:
    """A function that emits every error of an instance, ordered as sorted by path."""
    defs = schema.get("$defs", {})
    compiled: dict[int, Check] = {}

    def resolve(node: dict) -> dict:
        ref = node.get("$ref")
        if ref is None:
            return node
        target = defs[ref.removeprefix("#/$defs/")]
        extra = {k: v for k, v in node.items() if k != "$ref"}
        return {**resolve(target), **extra} if extra.keys() - _IGNORED else resolve(target)

    def build(raw: dict) -> Check:
        node = resolve(raw)
        if id(node) in compiled:
            return compiled[id(node)]
        tests = [
            _test(kind, value, node, formats)
            for kind, value in node.items()
            if kind not in _IGNORED and kind not in _STRUCTURE
        ]
        tables = _tables(tests)
        # Children sorted by key: their errors then come out in the order of a sort by path.
        props = [(name, build(sub)) for name, sub in sorted(node.get("properties", {}).items())]
        item = build(node["items"]) if "items" in node else None
        cap = node.get("maxItems")

        def check(instance: Any, path: Path, emit: Emit) -> None:
            table = tables.get(instance.__class__)
            if table is None:  # a subclass, or no JSON type at all
                found = next((c for c in _CLASSES if isinstance(instance, c)), None)
                table = tables[found] if found else [t for t in tests if t[0] not in _ONLY]
            for kind, value, fails in table:
                bad = fails(instance)
                if bad:
                    shown = bad if kind == "required" else value
                    emit(SchemaError(path, kind, shown, instance, node))
            if props and isinstance(instance, dict):
                for name, sub in props:
                    if name in instance:
                        sub(instance[name], (*path, name), emit)
            elif item is not None and isinstance(instance, list):
                # Past a cap the lines are not read: one error says to send fewer.
                for index, element in enumerate(instance[:cap] if cap is not None else instance):
                    item(element, (*path, index), emit)

        compiled[id(node)] = check
        return check

    return build(schema)
