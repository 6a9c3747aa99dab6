"""Check a POS closure: the published JSON schema first, then the balance rules it describes."""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

SCHEMA: dict[str, Any] = json.loads(
    Path(__file__).with_name("closure.schema.json").read_text(encoding="utf-8")
)
MAX_DEPTH = 32
CENT = Decimal("0.01")
AMOUNT_PATTERN = SCHEMA["$defs"]["amount"]["pattern"]
CODE_PATTERN = SCHEMA["$defs"]["code"]["pattern"]
_TYPE_WORDS = {"string": "a string", "integer": "a whole number", "object": "a JSON object"}
_TYPE_WORDS["array"] = "a JSON array"
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"([Zz]|[+-]([0-9]{2}):([0-9]{2}))"
)
_STRINGS = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)


def _(text: str) -> str:
    """Mark a user-visible string for translation (identity until a catalogue exists)."""
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a closure: where (an RFC 6901 pointer) and what to fix."""

    pointer: str
    message: str


def pointer(*parts: str | int) -> str:
    """Build an RFC 6901 JSON pointer from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


_formats = FormatChecker(formats=())


@_formats.checks("date")
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return _DATE.fullmatch(value) is not None and bool(date.fromisoformat(value))
    except ValueError:
        return False


@_formats.checks("date-time")
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    m = _DATE_TIME.fullmatch(value)
    if m is None or not _is_date(m[1]):
        return False
    hh, mm, ss = int(m[2]), int(m[3]), int(m[4])
    offset_ok = m[7] is None or (int(m[7]) < 24 and int(m[8]) < 60)
    return hh < 24 and mm < 60 and ss <= 60 and offset_ok


@lru_cache(maxsize=32)
def _regex(pattern: str) -> re.Pattern[str]:
    # ECMA-262 "$" never matches before a trailing newline; Python's does, so anchor hard.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: object, schema: dict) -> Iterator:
    if isinstance(instance, str) and not _regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})
_VALIDATOR = _Validator(SCHEMA, format_checker=_formats)


def _show(value: object) -> str:
    """A short, safe rendering of a sent value for a message."""
    if isinstance(value, list | dict):
        return "a JSON array" if isinstance(value, list) else "a JSON object"
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
}


def _schema_problems(error: ValidationError) -> Iterator[Problem]:
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
    key = (kind, value) if isinstance(value, str) and (kind, value) in _MESSAGES else kind
    template = _MESSAGES.get(key)
    if template is None:
        yield Problem(pointer(*path), error.message)
        return
    shown = ", ".join(map(_show, value)) if isinstance(value, list) else _show(value)
    wanted = _TYPE_WORDS.get(value, str(value)) if isinstance(value, str) else ""
    yield Problem(pointer(*path), template.format(sent=_show(sent), value=shown, wanted=wanted))


def _path_order(error: ValidationError) -> list[tuple[int, int, str]]:
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def validate_closure(payload: object) -> list[Problem]:
    """Every problem with a closure payload; an empty list means it is valid."""
    problems: list[Problem] = []
    try:
        errors = sorted(_VALIDATOR.iter_errors(payload), key=_path_order)
        for error in errors:
            for problem in _schema_problems(error):
                if problem not in problems:
                    problems.append(problem)
    except RecursionError:
        return [Problem("", _("The closure is nested too deeply to read; send a closure object."))]
    if problems:
        return problems
    return balance_problems(payload)  # type: ignore[arg-type]


def _total(items: list[dict], field: str = "amount") -> Decimal:
    return sum((Decimal(item.get(field, "0")) for item in items), Decimal(0))


def balance_problems(closure: dict) -> list[Problem]:
    """The closure's own arithmetic, checked on a payload that already passed the schema."""
    problems: list[Problem] = []
    add = problems.append
    sales, payments = closure["sales"], closure["payments"]
    tips, invoices = closure.get("tips", []), closure.get("invoice_sales", [])
    for i, line in enumerate(sales):
        if Decimal(line["net"]) + Decimal(line["vat"]) != Decimal(line["gross"]):
            total = Decimal(line["net"]) + Decimal(line["vat"])
            msg = _("gross {0} is not net + vat ({1}); send gross = net + vat for the line.")
            add(Problem(pointer("sales", i, "gross"), msg.format(line["gross"], total)))
    methods: dict[str, int] = {}
    for i, payment in enumerate(payments):
        if payment["method"] in methods:
            msg = _("Payment method {0} appears twice; send one line per method with its total.")
            add(Problem(pointer("payments", i, "method"), msg.format(payment["method"])))
        methods.setdefault(payment["method"], i)
    for i, tip in enumerate(tips):
        if tip["method"] not in methods:
            msg = _(
                "Tip paid with {0}, but there is no {0} payment; tips are part of their "
                "method's payment, so add that payment line or correct the method."
            )
            add(Problem(pointer("tips", i, "method"), msg.format(tip["method"])))
    references: set[str] = set()
    sales_net: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in sales:
        sales_net[line["product_group"], line["vat_rate"]] += Decimal(line["net"])
    invoiced: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    first_line: dict[tuple[str, str], str] = {}
    invoice_total = Decimal(0)
    for i, sale in enumerate(invoices):
        if sale["reference"] in references:
            msg = _("Reference {0} is used by another invoice sale; references must be unique.")
            add(Problem(pointer("invoice_sales", i, "reference"), msg.format(sale["reference"])))
        references.add(sale["reference"])
        invoice_total += Decimal(sale.get("tip", "0"))
        for j, line in enumerate(sale["lines"]):
            net, key = Decimal(line["net"]), (line["product_group"], line["vat_rate"])
            want = (Decimal(line["quantity"]) * Decimal(line["unit_price_net"])).quantize(
                CENT, ROUND_HALF_UP
            )
            if net != want:
                msg = _(
                    "net {0} is not quantity × unit_price_net rounded to öre ({1}); "
                    "send net = {1} or correct quantity or unit price."
                )
                add(Problem(pointer("invoice_sales", i, "lines", j, "net"), msg.format(net, want)))
            invoiced[key] += net
            first_line.setdefault(key, pointer("invoice_sales", i, "lines", j))
            invoice_total += net + Decimal(line["vat"])
    for key, net in invoiced.items():
        have = sales_net.get(key, Decimal(0))
        if (net > 0 and have < net) or (net < 0 and have > net):
            msg = _(
                "Invoice lines for {0} at {1} % total net {2}, more than the sales lines' "
                "{3}; invoice sales are part of sales, so include them in the sales line."
            )
            add(Problem(first_line[key], msg.format(key[0], key[1], net, have)))
    paid = {m: _total([p for p in payments if p["method"] == m]) for m in methods}
    if invoices and "INVOICE" not in methods:
        msg = _("There are invoice sales but no INVOICE payment; add an INVOICE payment of {0}.")
        add(Problem(pointer("payments"), msg.format(invoice_total)))
    elif "INVOICE" in methods and not invoices:
        msg = _(
            "There is an INVOICE payment but no invoice_sales; itemise the sales on account "
            "in invoice_sales, or pay them with another method."
        )
        add(Problem(pointer("payments", methods["INVOICE"]), msg))
    elif invoices and paid["INVOICE"] != invoice_total:
        msg = _(
            "The INVOICE payment {0} is not the invoice sales' total {1} (lines' net + vat "
            "plus tips); send an INVOICE payment of {1}."
        )
        where = pointer("payments", methods["INVOICE"], "amount")
        add(Problem(where, msg.format(paid["INVOICE"], invoice_total)))
    owed = (
        _total(sales, "gross")
        + _total(closure.get("gift_cards_sold", []))
        + _total(tips)
        + _total(invoices, "tip")
        + Decimal(closure.get("rounding", "0"))
    )
    if owed != sum(paid.values(), Decimal(0)):
        msg = _(
            "Payments total {0}, but sales gross + gift cards sold + tips + invoice tips + "
            "rounding come to {1}; the day must balance, so correct the lines that differ."
        )
        add(Problem(pointer("payments"), msg.format(sum(paid.values(), Decimal(0)), owed)))
    count = closure.get("cash_count")
    if count and Decimal(count["expected"]) != paid.get("CASH", Decimal(0)):
        msg = _("cash_count.expected {0} is not the CASH payment {1}; send expected = {1}.")
        where = pointer("cash_count", "expected")
        add(Problem(where, msg.format(count["expected"], paid.get("CASH", Decimal(0)))))
    return problems


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
