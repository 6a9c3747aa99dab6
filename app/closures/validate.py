"""Check a POS closure: the published JSON schema first, then the balance rules it describes."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from app.closures.body import MAX_DEPTH, canonical_hash, parse_json_body
from app.closures.problems import MAX_PROBLEMS, Problem, Problems, _, capped, pointer
from app.closures.rules import balance_problems
from app.closures.schema_check import SchemaError, compile_schema

SCHEMA: dict[str, Any] = json.loads(
    Path(__file__).with_name("closure.schema.json").read_text(encoding="utf-8")
)
AMOUNT_PATTERN = SCHEMA["$defs"]["amount"]["pattern"]
CODE_PATTERN = SCHEMA["$defs"]["code"]["pattern"]
_Z_REPORT = SCHEMA["properties"]["z_report"]["properties"]
FILENAME_PATTERN = _Z_REPORT["filename"]["pattern"]
Z_REPORT_CHARS = _Z_REPORT["data"]["maxLength"]
_TYPE_WORDS = {"string": "a string", "integer": "a whole number", "object": "a JSON object"}
_TYPE_WORDS["array"] = "a JSON array"
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"([Zz]|[+-]([0-9]{2}):([0-9]{2}))"
)


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return _DATE.fullmatch(value) is not None and bool(date.fromisoformat(value))
    except ValueError:
        return False


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    m = _DATE_TIME.fullmatch(value)
    if m is None or not _is_date(m[1]):
        return False
    hh, mm, ss = int(m[2]), int(m[3]), int(m[4])
    offset_ok = m[7] is None or (int(m[7]) < 24 and int(m[8]) < 60)
    return hh < 24 and mm < 60 and ss <= 60 and offset_ok


_CHECK = compile_schema(SCHEMA, {"date": _is_date, "date-time": _is_date_time})


def _show(value: object) -> str:
    """A short, safe rendering of a sent value for a message."""
    if isinstance(value, list | dict):
        return "a JSON array" if isinstance(value, list) else "a JSON object"
    if isinstance(value, str):
        value = value[:60]  # only the start is shown: never render a huge string whole
    text = (
        json.dumps(value, ensure_ascii=False)
        if isinstance(value, str | bool | None)
        else str(value)
    )
    return text if len(text) <= 42 else text[:40] + "…"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


# Wrapped one by one so a message extractor finds them.
_MESSAGES: dict[object, str] = {
    "amount_number": _(
        "Amount {sent} was sent as a JSON number; send amounts as decimal strings with at most "
        'two decimals, e.g. "1840.00", so no öre is lost to floating point.'
    ),
    "type": _("Expected {wanted}, got {sent}; send {wanted} here."),
    ("pattern", AMOUNT_PATTERN): _(
        "{sent} is not an amount; use a decimal string with at most two decimals, a dot as "
        'decimal mark and no spaces or thousands separators, e.g. "1840.00" or "-0.03".'
    ),
    ("pattern", CODE_PATTERN): _(
        '{sent} is not a valid code; use 1-32 characters A-Z, 0-9, "_" or "-", starting with '
        'a capital letter or digit, e.g. "CASH" or "FOOD".'
    ),
    ("pattern", FILENAME_PATTERN): _(
        "{sent} is not a plain file name; use letters, digits, spaces and . _ , ( ) + -, "
        'no folder, ending in .pdf, e.g. "Z457-S12.pdf".'
    ),
    ("maxLength", Z_REPORT_CHARS): _(
        "The Z-report is larger than 1 MiB; send a PDF of at most 1 MiB ({value} base64 "
        "characters), or leave z_report out."
    ),
    ("contentEncoding", "base64"): _(
        "The data is not base64; send the file's bytes base64-encoded (A-Z, a-z, 0-9, + and /, "
        "padded with = to a multiple of 4 characters, no line breaks)."
    ),
    ("contentMediaType", "application/pdf"): _(
        "The data is not a PDF (its bytes do not start with %PDF-); send the Z-report as a PDF."
    ),
    "pattern": _(
        '{sent} is not a quantity; use a decimal string with at most three decimals, e.g. "8".'
    ),
    "const": _("Must be {value}, got {sent}."),
    "enum": _("{sent} is not allowed; use one of {value}."),
    ("format", "date"): _("{sent} is not a date; use YYYY-MM-DD, e.g. 2026-11-24."),
    ("format", "date-time"): _(
        "{sent} is not a date and time; use RFC 3339 with a UTC offset, "
        "e.g. 2026-11-24T18:14:03+01:00."
    ),
    "minimum": _("Must be at least {value}, got {sent}."),
    "minLength": _("Must not be empty; send at least {value} character(s)."),
    "maxLength": _("Too long; send at most {value} characters."),
    "minItems": _("Must hold at least {value} item(s); add the lines."),
    "maxItems": _(
        "Holds more than {value} items, more than a day's closure has; send at most {value} "
        "(the items after them were not checked)."
    ),
}


def _schema_problems(error: SchemaError) -> Iterator[Problem]:
    """Turn one jsonschema error into plain problems that say what to fix."""
    path, kind, value, sent = (
        list(error.absolute_path),
        error.validator,
        error.validator_value,
        error.instance,
    )
    properties = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    if kind == "required" and isinstance(sent, dict):
        for name in value:
            if name not in sent:
                msg = _('Required field "{0}" is missing; add it.')
                yield Problem(pointer(*path, name), msg.format(name))
        return
    if kind == "additionalProperties" and isinstance(sent, dict):
        for name in sent:
            if name not in properties:
                close = difflib.get_close_matches(name, list(properties), n=1)
                hint = _(' Did you mean "{0}"?').format(close[0]) if close else ""
                msg = _('Unknown field "{0}"; remove it (allowed here: {1}).{2}')
                yield Problem(pointer(*path, name), msg.format(name, ", ".join(properties), hint))
        return
    if kind == "type" and error.schema.get("pattern") == AMOUNT_PATTERN and _is_number(sent):
        kind = "amount_number"
    known = isinstance(value, str | int) and (kind, value) in _MESSAGES
    key = (kind, value) if known else kind
    template = _MESSAGES.get(key)
    if template is None:
        yield Problem(pointer(*path), error.message)
        return
    shown = ", ".join(map(_show, value)) if isinstance(value, list) else _show(value)
    wanted = _TYPE_WORDS.get(value, str(value)) if isinstance(value, str) else ""
    yield Problem(pointer(*path), template.format(sent=_show(sent), value=shown, wanted=wanted))


def _count(error: SchemaError) -> int:
    """How many problems an error makes, without wording them."""
    if error.validator == "required":
        return len(error.validator_value)
    if error.validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        return sum(1 for name in error.instance if name not in allowed)
    return 1


class _Collector:
    """Words the first MAX_PROBLEMS problems and only counts the rest."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.total = 0

    def add(self, error: SchemaError) -> None:
        room = MAX_PROBLEMS - len(self.problems)
        if room > 0:
            self.problems.extend(islice(_schema_problems(error), room))
        self.total += _count(error)


def validate_closure(payload: object) -> Problems:
    """Every problem with a closure payload (the first MAX_PROBLEMS and a count); none if valid."""
    collector = _Collector()
    try:
        _CHECK(payload, (), collector.add)
    except RecursionError:
        return capped(
            [Problem("", _("The closure is nested too deeply to read; send a closure object."))]
        )
    if collector.total:
        return capped(collector.problems, collector.total)
    return capped(balance_problems(payload))  # type: ignore[arg-type]


__all__ = [
    "MAX_DEPTH",
    "MAX_PROBLEMS",
    "SCHEMA",
    "Problem",
    "balance_problems",
    "canonical_hash",
    "parse_json_body",
    "pointer",
    "validate_closure",
]
