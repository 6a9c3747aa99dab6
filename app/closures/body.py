"""Read a request body as JSON without ever crashing, and hash a closure canonically."""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal

from app.closures.problems import Problem, _

MAX_DEPTH = 32
_STRINGS = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)


class _Refused(ValueError):
    """A JSON construct a closure never needs (NaN, Infinity, a duplicated key)."""


def _reject_constant(name: str) -> object:
    raise _Refused(_("{0} is not a JSON value; send amounts as decimal strings.").format(name))


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(_('Field "{0}" appears twice in one object; send it once.').format(key))
        result[key] = value
    return result


def _nesting_depth(text: str) -> int:
    """Deepest bracket nesting outside string literals, counted without recursion."""
    depth = deepest = 0
    for char in re.findall(r"[\[\]{}]", _STRINGS.sub("", text)):
        depth = depth + 1 if char in "[{" else depth - 1
        deepest = max(deepest, depth)
    return deepest


def parse_json_body(raw: bytes) -> tuple[object | None, list[Problem]]:
    """Parse a request body into JSON (floats as Decimal), or say plainly why it cannot be."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        msg = _("The body is not UTF-8 (bad byte at offset {0}); send the closure as UTF-8 JSON.")
        return None, [Problem("", msg.format(exc.start))]
    if not text.strip():
        return None, [Problem("", _("The body is empty; send the closure as one JSON object."))]
    if _nesting_depth(text) > MAX_DEPTH:
        msg = _("The JSON is nested more than {0} levels deep; send the closure object itself.")
        return None, [Problem("", msg.format(MAX_DEPTH))]
    try:
        value = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_no_duplicate_keys,
        )
    except json.JSONDecodeError as exc:
        msg = _("The body is not valid JSON: {0} at line {1}, column {2}; fix the syntax.")
        return None, [Problem("", msg.format(exc.msg, exc.lineno, exc.colno))]
    except _Refused as exc:
        return None, [Problem("", str(exc))]
    except (ValueError, RecursionError) as exc:
        return None, [Problem("", _("The body could not be read as JSON ({0}).").format(exc))]
    return value, []


def canonical_hash(payload: object) -> str:
    """SHA-256 of the closure as canonical JSON (sorted keys, no spaces, revision defaulted)."""
    if isinstance(payload, dict) and "revision" not in payload:
        payload = {**payload, "revision": 1}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()
