"""The chart as the mapping page uses it: search, warnings (app/fortnox/chart.py loads it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.mapping.schema import pointer
from app.mapping.texts import _


@dataclass(frozen=True)
class Account:
    """One account of the chart, as the mapping page shows it."""

    number: str
    description: str
    active: bool = True
    cost_center_settings: str = "ALLOWED"


@dataclass
class Chart:
    """The chart, or why it is unavailable (then any 4-digit account may be typed)."""

    accounts: dict[str, Account] = field(default_factory=dict)
    unavailable: str = ""

    @property
    def available(self) -> bool:
        """True when the accounts came from Fortnox."""
        return not self.unavailable


def search(chart: Chart, query: str, limit: int = 20) -> list[Account]:
    """Accounts whose number starts with, or description contains, query."""
    q = query.strip().lower()
    if not chart.available:
        return []
    hits = [
        a
        for a in chart.accounts.values()
        if not q or a.number.startswith(q) or q in a.description.lower()
    ]
    hits.sort(key=lambda a: (not a.number.startswith(q), a.number))
    return hits[:limit]


def warning(chart: Chart, number: str) -> str:
    """Why account number may not take the closure's rows, or ""."""
    if not chart.available or not number:
        return ""
    account = chart.accounts.get(number)
    if account is None:
        return _("Account %(n)s is not in the company's Fortnox chart.", n=number)
    if not account.active:
        return _("Account %(n)s is inactive in Fortnox.", n=number)
    if account.cost_center_settings == "NOTALLOWED":
        return _(
            "Account %(n)s does not allow cost centers in Fortnox, but every row carries the "
            "store's cost center.",
            n=number,
        )
    return ""


@dataclass(frozen=True)
class Refused:
    """An account a save names that Fortnox does not have (or has inactive), with alternatives."""

    path: str
    section: str
    key: str
    number: str
    message: str
    nearest: list[Account] = field(default_factory=list)


def nearest(
    chart: Chart, number: str, key: str = "", siblings: tuple[str, ...] = (), limit: int = 4
) -> list[Account]:
    """Active accounts near number: by name (the code's words, the old account's), the accounts
    its section already uses (siblings), then by number."""
    active = [a for a in chart.accounts.values() if a.active and a.number != number]
    old = chart.accounts.get(number)
    words = {w for w in re.split(r"[\W_]+", f"{key} {old.description if old else ''}".lower())}
    words = {w for w in words if len(w) >= 3 and not w.isdigit()}
    by_name = [a for a in active if words & set(re.split(r"[\W_]+", a.description.lower()))]
    by_name += [a for a in active if any(w in a.description.lower() for w in words)]
    target = int(number) if number.isdigit() else 0
    by_number = sorted(
        (a for a in active if a.number.isdigit()),
        key=lambda a: (a.number[:2] != number[:2], abs(int(a.number) - target), a.number),
    )
    used = [a for a in active if a.number in siblings]
    return list(dict.fromkeys([*by_name[:2], *used[:2], *by_number]))[:limit]


def refused(
    chart: Chart, changed: dict[tuple[str, str], str], data: dict[str, Any] | None = None
) -> list[Refused]:
    """The changed (section, key) → account pairs naming an account missing or inactive."""
    if not chart.available:
        return []  # nothing to check against: the page says numbers are checked later
    out = []
    for (section, key), number in changed.items():
        account = chart.accounts.get(number)
        if account is not None and account.active:
            continue
        out.append(
            Refused(
                path=pointer(section, key),
                section=section,
                key=key,
                number=number,
                message=warning(chart, number),
                nearest=nearest(chart, number, key, _siblings(data, section, key)),
            )
        )
    return out


def _siblings(data: dict[str, Any] | None, section: str, key: str) -> tuple[str, ...]:
    """The accounts the other keys of section map to (AMEX: where CARD goes)."""
    entries = (data or {}).get(section) or {}
    return tuple(str(v) for k, v in sorted(entries.items()) if k != key and v)
