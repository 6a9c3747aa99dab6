"""The `kassabok.mapping/1` document: its shape, the BAS default, validation and diff (pure)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from app.mapping.texts import _

SCHEMA = "kassabok.mapping/1"
SECTIONS = ("payment_methods", "sales", "vat", "other")
PAYMENT_METHODS = ("CASH", "CARD", "SWISH", "GIFT_CARD", "INVOICE")
SALES_RATES = ("25", "12", "6", "0")
VAT_RATES = ("25", "12", "6")
OTHER = ("TIPS", "GIFT_CARDS_SOLD", "ROUNDING", "CASH_DIFFERENCE", "FEES")  # FEES: payout fees
ACCOUNT = re.compile(r"[0-9]{4}")
CODE = re.compile(r"[A-Z0-9][A-Z0-9_\-]{0,31}")
COST_CENTER = re.compile(r"[A-Za-z0-9_\-]{1,20}")
STORE_FIELDS = ("name", "cost_center")


def bas_default() -> dict[str, Any]:
    """The BAS accounts of SPEC's mapping file, with `*:RATE` fallbacks for sales."""
    return {
        "schema": SCHEMA,
        "payment_methods": {
            "CASH": "1910",
            "CARD": "1580",
            "SWISH": "1930",
            "GIFT_CARD": "2420",
            "INVOICE": "1510",
        },
        "sales": {"*:25": "3001", "*:12": "3002", "*:6": "3003", "*:0": "3004"},
        "vat": {"25": "2611", "12": "2621", "6": "2631"},
        "other": {
            "TIPS": "2890",
            "GIFT_CARDS_SOLD": "2420",
            "ROUNDING": "3740",
            "CASH_DIFFERENCE": "3990",
            "FEES": "6570",  # Bankkostnader: what acquirers keep of a payout (app/bank/fees.py)
        },
    }


def empty_mapping() -> dict[str, Any]:
    """A mapping with every section and no account."""
    return {"schema": SCHEMA, **{section: {} for section in SECTIONS}}


def with_defaults_applied(current: dict[str, Any]) -> dict[str, Any]:
    """current with every BAS key set to its BAS account; the company's own codes are kept."""
    result = copy.deepcopy(current) if current else empty_mapping()
    for section, accounts in bas_default().items():
        if section != "schema":
            result.setdefault(section, {}).update(accounts)
    return result


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a mapping: a JSON pointer and what to fix."""

    path: str
    message: str


def pointer(*parts: str) -> str:
    """A JSON pointer (RFC 6901) to parts."""
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def _account_problem(value: Any) -> str | None:
    """Why value is not an account number, or None."""
    if isinstance(value, str) and ACCOUNT.fullmatch(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return _('write the account as a string of 4 digits, e.g. "%(n)s"', n=value)
    return _('must be an account number of 4 digits, e.g. "1910"')


def _key_problem(section: str, key: str) -> str | None:
    """Why key cannot stand in section, or None."""
    if section == "payment_methods" and not CODE.fullmatch(key):
        return _("a payment method is a POS code: A-Z, 0-9, _ or -, e.g. AMEX")
    if section == "sales":
        group, sep, rate = key.rpartition(":")
        if not sep or not (group == "*" or CODE.fullmatch(group)):
            return _('a sales key is GROUP:RATE, e.g. "FOOD:12" or "*:12"')
        if rate not in SALES_RATES:
            return _("the VAT rate after the colon must be 25, 12, 6 or 0")
    if section == "vat" and key not in VAT_RATES:
        return _("output VAT exists for 25, 12 and 6 % only")
    if section == "other" and key not in OTHER:
        return _("expected one of %(keys)s", keys=", ".join(OTHER))
    return None


def _validate_section(section: str, accounts: Any) -> list[Problem]:
    """Problems with one section's keys and accounts."""
    if not isinstance(accounts, dict):
        return [Problem(pointer(section), _("must be an object of key → account"))]
    problems = []
    for key, value in accounts.items():
        for why in (_key_problem(section, key), _account_problem(value)):
            if why:
                problems.append(Problem(pointer(section, key), why))
    return problems


def _validate_stores(stores: Any) -> list[Problem]:
    """Problems with the optional `stores` section."""
    if not isinstance(stores, dict):
        return [Problem("/stores", _("must be an object of store id → store"))]
    problems = []
    for store_id, store in stores.items():
        if not CODE.fullmatch(store_id):
            problems.append(Problem(pointer("stores", store_id), _("not a POS store id")))
            continue
        if not isinstance(store, dict):
            msg = _('must be {"name": ..., "cost_center": ...}')
            problems.append(Problem(pointer("stores", store_id), msg))
            continue
        for extra in sorted(set(store) - set(STORE_FIELDS)):
            msg = _("unknown field; a store has name and cost_center")
            problems.append(Problem(pointer("stores", store_id, extra), msg))
        name = store.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            msg = _("a name of 1 to 200 characters is required")
            problems.append(Problem(pointer("stores", store_id, "name"), msg))
        center = store.get("cost_center")
        if not isinstance(center, str) or not COST_CENTER.fullmatch(center):
            msg = _("a Fortnox cost center code is required: letters, digits, _ or -")
            problems.append(Problem(pointer("stores", store_id, "cost_center"), msg))
    return problems


def validate_mapping(data: Any) -> list[Problem]:
    """Every problem in a mapping document; an empty list means it may be saved."""
    if not isinstance(data, dict):
        return [Problem("", _("the mapping must be a JSON object"))]
    problems = []
    if data.get("schema") != SCHEMA:
        problems.append(Problem("/schema", _('must be "%(s)s"', s=SCHEMA)))
    for key in data:
        if key not in (*SECTIONS, "schema", "stores"):
            msg = _("unknown section; expected %(s)s", s=", ".join((*SECTIONS, "stores")))
            problems.append(Problem(pointer(key), msg))
    for section in SECTIONS:
        if section not in data:
            msg = _('missing section; add "%(s)s": {} (it may be empty)', s=section)
            problems.append(Problem(pointer(section), msg))
        else:
            problems += _validate_section(section, data[section])
    if "stores" in data:
        problems += _validate_stores(data["stores"])
    return problems


def normalized(data: dict[str, Any]) -> dict[str, Any]:
    """The mapping part of a valid document (no stores), keys sorted, for storing."""
    return {"schema": SCHEMA, **{s: dict(sorted(data.get(s, {}).items())) for s in SECTIONS}}


@dataclass(frozen=True)
class DiffRow:
    """One key that differs between two mappings."""

    key: str
    old: str | None
    new: str | None

    @property
    def change(self) -> str:
        """added, removed or changed."""
        if self.old is None:
            return "added"
        return "removed" if self.new is None else "changed"


def flatten(data: dict[str, Any] | None) -> dict[str, str]:
    """Every account (and store field) as `section/key` → value."""
    flat: dict[str, str] = {}
    for section, entries in (data or {}).items():
        if not isinstance(entries, dict):
            continue
        for key, value in entries.items():
            if isinstance(value, dict):
                flat.update({f"{section}/{key}/{f}": str(v) for f, v in value.items()})
            else:
                flat[f"{section}/{key}"] = str(value)
    return flat


def diff_mappings(a: dict[str, Any] | None, b: dict[str, Any] | None) -> list[DiffRow]:
    """What changed from mapping a to mapping b, in section order then key order."""
    old, new = flatten(a), flatten(b)
    order = {s: i for i, s in enumerate((*SECTIONS, "stores"))}
    keys = sorted(set(old) | set(new), key=lambda k: (order.get(k.split("/")[0], 99), k))
    return [DiffRow(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]
