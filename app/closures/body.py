"""Read a request body as JSON without ever crashing, and hash a closure canonically."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from app.closures.problems import Problem, _

MAX_DEPTH = 32
MAX_VALUES = 30_000
_NOT_STRUCTURE = bytes(set(range(256)) - set(b'[]{}",'))


class _Refused(ValueError):
    """A JSON construct a closure never needs (NaN, Infinity, a duplicated key)."""


def _reject_constant(name: str) -> object:
    raise _Refused(_("{0} is not a JSON value; send amounts as decimal strings.").format(name))


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        key = next(k for k, _v in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _Refused(_('Field "{0}" appears twice in one object; send it once.').format(key))
    return result


def _outside_strings(raw: bytes) -> bytes:
    """The brackets and commas of a JSON text that are not inside a string, in C-speed passes."""
    # Escapes first (an escaped quote ends no string), then every byte but those and quotes.
    text = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    return b"".join(text.split(b'"')[::2])


def _too_deep(structure: bytes) -> bool:
    """Whether the brackets of a well-formed JSON text nest deeper than MAX_DEPTH."""
    brackets = structure.replace(b",", b"")
    for _level in range(MAX_DEPTH):
        if not brackets:
            return False
        # One level a round: innermost pairs become () first, so a pair they leave is not taken too.
        brackets = brackets.replace(b"[]", b"()").replace(b"{}", b"()").replace(b"()", b"")
    return bool(brackets)


def parse_json_body(raw: bytes) -> tuple[object | None, list[Problem]]:
    """Parse a request body into JSON (floats as Decimal), or say plainly why it cannot be."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        msg = _("The body is not UTF-8 (bad byte at offset {0}); send the closure as UTF-8 JSON.")
        return None, [Problem("", msg.format(exc.start))]
    if not text.strip():
        return None, [Problem("", _("The body is empty; send the closure as one JSON object."))]
    structure = _outside_strings(raw)
    # Every value but a container's first follows a comma; an object costs a value of its own.
    if structure.count(b",") + structure.count(b"{") > MAX_VALUES:
        # Refused before parsing: reading a body of a million values costs more than any closure.
        msg = _(
            "The body holds more than {0} JSON values, more than a day's closure ever has; "
            "send one closure with its lines totalled per product group and method."
        )
        return None, [Problem("", msg.format(MAX_VALUES))]
    too_deep = _("The JSON is nested more than {0} levels deep; send the closure object itself.")
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
    except RecursionError:
        return None, [Problem("", too_deep.format(MAX_DEPTH))]
    except ValueError as exc:
        return None, [Problem("", _("The body could not be read as JSON ({0}).").format(exc))]
    if isinstance(value, dict | list) and _too_deep(structure):
        return None, [Problem("", too_deep.format(MAX_DEPTH))]
    return value, []


def canonical_hash(payload: object) -> str:
    """SHA-256 of the closure as canonical JSON (sorted keys, no spaces, revision defaulted)."""
    if isinstance(payload, dict) and "revision" not in payload:
        payload = {**payload, "revision": 1}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()
