"""The mapping form: read it into a document, and lay a document out as sections of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from app.mapping.chart import Account, Chart, warning
from app.mapping.schema import (
    OTHER,
    PAYMENT_METHODS,
    SALES_RATES,
    SCHEMA,
    SECTIONS,
    VAT_RATES,
    Problem,
    pointer,
)
from app.mapping.seen import Seen
from app.words import HINTS, LABELS, TITLES

STANDARD = {
    "payment_methods": PAYMENT_METHODS,
    "sales": tuple(f"*:{rate}" for rate in SALES_RATES),
    "vat": VAT_RATES,
    "other": OTHER,
}


def parse_form(form: MultiDict[str, str]) -> dict[str, Any]:
    """The document the form describes; a row with neither key nor account is skipped."""
    data: dict[str, Any] = {"schema": SCHEMA}
    for section in SECTIONS:
        keys = form.getlist(f"{section}.key")
        accounts = form.getlist(f"{section}.account")
        entries: dict[str, str] = {}
        for key, account in zip(keys, accounts, strict=False):
            key, account = key.strip(), account.strip()
            if section in ("payment_methods", "sales"):
                key = key.upper()
            if key and account:
                entries[key] = account
            elif account:
                entries[""] = account  # reported as a missing key, not silently dropped
        data[section] = entries
    return data


@dataclass
class Row:
    """One key of a section with its account and what to say about it."""

    key: str
    account: str = ""
    label: str = ""
    fixed: bool = True
    error: str = ""
    warning: str = ""
    fallback: str = ""
    seen: Seen | None = None
    info: Account | None = None


@dataclass
class Section:
    """A titled group of rows of the mapping."""

    name: str
    title: str
    hint: str
    rows: list[Row] = field(default_factory=list)


def _fallback(section: str, key: str, entries: dict[str, str]) -> str:
    """The `*:RATE` account a sales key falls back to when it has none of its own."""
    if section != "sales" or key.startswith("*:"):
        return ""
    return entries.get(f"*:{key.rpartition(':')[2]}", "")


def build_sections(
    data: dict[str, Any], seen: list[Seen], problems: list[Problem], chart: Chart
) -> list[Section]:
    """Every section with its standard keys, mapped keys, seen keys and one blank row."""
    errors: dict[str, str] = {}
    for problem in problems:
        errors.setdefault(problem.path, problem.message)
    seen_by = {s.section_key: s for s in seen}
    sections = []
    for name in SECTIONS:
        entries = data.get(name) or {}
        if not isinstance(entries, dict):
            entries = {}
        keys = list(STANDARD[name])
        keys += [s.section_key[1] for s in seen if s.section_key[0] == name]
        keys += list(entries)
        section = Section(name, str(TITLES[name]), str(HINTS[name]))
        for key in dict.fromkeys(k for k in keys if k):
            account = str(entries.get(key, ""))
            section.rows.append(
                Row(
                    key=key,
                    account=account,
                    label=str(LABELS.get(key, "")),
                    fixed=True,
                    error=errors.get(pointer(name, key), ""),
                    warning=warning(chart, account),
                    fallback=_fallback(name, key, entries),
                    seen=None if key in STANDARD[name] else seen_by.get((name, key)),
                    info=chart.accounts.get(account),
                )
            )
        if name in ("payment_methods", "sales"):
            blank = Row(key="", fixed=False, account=str(entries.get("", "")))
            if "" in entries:
                blank.error = str(_l("Give the code this account is for."))
            section.rows.append(blank)
        sections.append(section)
    return sections


def misplaced(problems: list[Problem], sections: list[Section]) -> list[Problem]:
    """Problems no row shows (e.g. a whole section malformed), so they are listed apart."""
    shown = {pointer(s.name, r.key) for s in sections for r in s.rows if r.key}
    return [p for p in problems if p.path not in shown and not p.path.endswith("/")]
