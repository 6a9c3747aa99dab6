"""The profile form's fields, to and from a profile definition (app/bank/profiles.py checks it)."""

from __future__ import annotations

from typing import Any

from app.bank.profiles import FIELDS, MONEY

# Between the columns a money field adds up: "Gross Credit (GC) | -Gross Debit (GC)".
SEPARATOR = "|"


def definition_from_form(form: dict[str, str]) -> dict[str, Any]:
    """A profile definition from the form as posted."""
    types = {}
    for line in form.get("types", "").splitlines():
        raw, _sep, kind = line.partition("=")
        if raw.strip():
            types[raw.strip()] = kind.strip()
    return {
        "label": form.get("label", "").strip(),
        "source": form.get("source", "").strip(),
        "delimiter": form.get("delimiter", ","),
        "encoding": form.get("encoding", "utf-8").strip(),
        "decimal": form.get("decimal", "."),
        "thousands": form.get("thousands", ""),
        "date_format": form.get("date_format", "").strip(),
        "header": form.get("header") == "on",
        "skip_lines": form.get("skip_lines", "0").strip() or "0",
        "minor_units": form.get("minor_units") == "on",
        "currency": form.get("currency", "SEK").strip().upper(),
        "columns": {name: form.get(f"col_{name}", "").strip() for name in FIELDS},
        "money": {
            key: [c.strip() for c in form.get(f"money_{key}", "").split(SEPARATOR) if c.strip()]
            for key in MONEY
        },
        "optional": [o.strip() for o in form.get("optional", "").split(",") if o.strip()],
        "types": types,
    }


def form_from_definition(name: str, definition: dict[str, Any]) -> dict[str, str]:
    """The form's fields filled from a stored (or shipped) definition."""
    form = {
        "name": name,
        "label": str(definition.get("label", "")),
        "source": str(definition.get("source", "")),
        "delimiter": str(definition.get("delimiter", ",")).replace("\t", "\\t"),
        "encoding": str(definition.get("encoding", "utf-8")),
        "decimal": str(definition.get("decimal", ".")),
        "thousands": str(definition.get("thousands", "")),
        "date_format": str(definition.get("date_format", "%Y-%m-%d")),
        "header": "on" if definition.get("header", True) else "",
        "skip_lines": str(definition.get("skip_lines", 0)),
        "minor_units": "on" if definition.get("minor_units") else "",
        "currency": str(definition.get("currency", "SEK")),
        "optional": ", ".join(definition.get("optional", [])),
        "types": "\n".join(f"{k} = {v}" for k, v in (definition.get("types") or {}).items()),
    }
    columns = definition.get("columns") or {}
    form.update({f"col_{key}": str(columns.get(key, "")) for key in FIELDS})
    money = definition.get("money") or {}
    form.update({f"money_{key}": f" {SEPARATOR} ".join(money.get(key, [])) for key in MONEY})
    return form
