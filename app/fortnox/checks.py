"""One pre-flight line: stored as key, verdict and facts; worded in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.mapping.schema import OTHER
from app.words import code_label  # the one table of the codes' words

LEVELS = ("red", "amber", "green")  # the order lines are shown in: what needs someone first
# Fortnox's permissions (OAuth scopes) by the names its consent page gives them.
SCOPE_NAMES = {
    "bookkeeping": _l("Bookkeeping"),
    "costcenter": _l("Cost centers"),
    "companyinformation": _l("Company information"),
    "settings": _l("Settings"),
    "customer": _l("Customers"),
    "invoice": _l("Invoices"),
    "order": _l("Orders"),
    "archive": _l("Archive"),
    "connectfile": _l("File connections"),
}


def scope_name(scope: str) -> str:
    """A Fortnox permission in words."""
    return str(SCOPE_NAMES.get(scope, scope))


@dataclass(frozen=True)
class Check:
    """A pre-flight line: green (ok) or red, with what it checked and what to do."""

    key: str
    ok: bool
    kind: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def level(self) -> str:
        """red (fix it), amber (no verdict: Fortnox did not answer) or green."""
        if self.ok:
            return "green"
        return "amber" if self.kind == "unavailable" else "red"

    @property
    def title(self) -> str:
        """What was checked."""
        return _title(self.kind, self.params)

    @property
    def detail(self) -> str:
        """What was found."""
        return _detail(self.kind, self.ok, self.params)

    @property
    def fix(self) -> str:
        """What to do about a red line ("" for a green one)."""
        return "" if self.ok else _fix(self.kind, self.params)

    def to_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"key": self.key, "ok": self.ok, "kind": self.kind, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Check:
        """A check from its stored form."""
        return cls(str(data["key"]), bool(data["ok"]), str(data["kind"]), dict(data["params"]))


def ordered(checks: list[Check]) -> list[Check]:
    """Red lines first, then amber, then green; each group in the order the checks ran."""
    return sorted(checks, key=lambda c: LEVELS.index(c.level))


def use_label(use: str) -> str:
    """What a mapping code an account serves is, in words ("*:25" → "sales at 25 % VAT")."""
    if use.startswith("VAT "):
        return _("output VAT %(rate)s", rate=_percent(use[4:]))
    group, colon, rate = use.rpartition(":")
    if colon and group == "*":
        return _("sales at %(rate)s VAT", rate=_percent(rate))
    if colon:
        return _("sales of %(group)s at %(rate)s VAT", group=group, rate=_percent(rate))
    words = code_label(use)
    if use in OTHER:
        return words.lower()
    if words != use:  # a standard method in words, lower case, without "(receivable)"
        words = words.split(" (")[0].lower()
    return _("payments by %(method)s", method=words)  # the company's own (AMEX) as it is


def _percent(rate: str) -> str:
    """A VAT rate the way the reader writes percentages (25 %, 25%)."""
    try:
        return format_percent(int(rate) / 100)
    except ValueError:
        return rate


def _title(kind: str, p: dict[str, Any]) -> str:
    """The line's heading."""
    titles = {
        "connection": lambda: _("Connected to Fortnox"),
        "orgnr": lambda: _("Organisation number"),
        "scope": lambda: _("Fortnox permission: %(name)s", name=scope_name(str(p.get("scope")))),
        "cost_centers": lambda: _("Cost centers usable"),
        "cost_center": lambda: _(
            "Cost center %(code)s of store %(store)s", code=p.get("code"), store=p.get("store")
        ),
        "mapping": lambda: _("Account mapping saved"),
        "account": lambda: _(
            "Account %(number)s (%(uses)s)",
            number=p.get("number"),
            uses=", ".join(use_label(str(u)) for u in p["uses"]),
        ),
        "series": lambda: _("Voucher series %(code)s", code=p.get("code")),
        "year": lambda: _("Financial year for %(date)s", date=p.get("date")),
        "locked": lambda: _("Locked period"),
        "unavailable": lambda: _("Fortnox answered"),
    }
    return titles.get(kind, lambda: kind)()


def _detail(kind: str, ok: bool, p: dict[str, Any]) -> str:
    """What was found, green or red."""
    problem = p.get("problem", "")
    if kind == "connection":
        if ok:
            return _("Connected to %(name)s (%(orgnr)s).", name=p["name"], orgnr=p["orgnr"])
        if problem == "lost":
            return _("The connection was lost: %(reason)s", reason=p.get("reason", ""))
        return _("Kassabok is not connected to Fortnox.")
    if kind == "orgnr":
        return _orgnr(ok, p)
    if kind == "scope":
        if ok:
            return _("Granted, and the company holds the licence.")
        if problem == "licence":
            return _("Fortnox says the company has no licence for it.")
        return _("Kassabok was not given this permission when it was authorized.")
    if kind == "cost_centers":
        return _("Fortnox lists the cost centers.") if ok else _("Fortnox refused: %(m)s", m=p["m"])
    if kind == "cost_center":
        if ok:
            return _("Exists and is active.")
        if problem == "inactive":
            return _("It is inactive in Fortnox.")
        if problem == "empty":
            return _("The store has no cost center.")
        return _("There is no such cost center in Fortnox.")
    if kind == "mapping":
        return _("Version %(v)s.", v=p["version"]) if ok else _("No mapping has been saved yet.")
    if kind == "account":
        if ok:
            return _("Exists, is active and takes a cost center.")
        if problem == "inactive":
            return _("It is inactive in Fortnox.")
        if problem == "notallowed":
            return _("It does not allow a cost center, but every row carries the store's.")
        return _("There is no such account in the Fortnox chart of accounts.")
    if kind == "series":
        if ok:
            return _("Exists and is Manual in every open financial year.")
        years = ", ".join(p.get("years", []))
        if problem == "missing":
            return _("Missing in the financial year(s) %(years)s.", years=years)
        return _("Not marked Manual in the financial year(s) %(years)s.", years=years)
    if kind == "year":
        if ok:
            return _("%(from)s – %(to)s.", **{"from": p["from"], "to": p["to"]})
        return _("Fortnox has no financial year covering this date.")
    if kind == "locked":
        if p.get("end") is None:
            return _("No period is locked.")
        if ok:
            return _("Books are locked up to %(end)s, before the first day to post.", end=p["end"])
        return _("Books are locked up to %(end)s, on or after %(first)s.", **p)
    if kind == "unavailable":
        return _("Fortnox did not answer: %(m)s", m=p.get("m", ""))
    return ""


def _orgnr(ok: bool, p: dict[str, Any]) -> str:
    """Whether the Fortnox company has this company's organisation number."""
    if ok and not p.get("confirmed"):
        return _("%(name)s in Fortnox has this company's number, %(ours)s.", **p)
    if ok:
        return _(
            "%(name)s in Fortnox has %(theirs)s, %(company)s has %(ours)s; an admin confirmed "
            "on %(confirmed)s that it is the right Fortnox company.",
            **p,
        )
    return _(
        "%(name)s in Fortnox has %(theirs)s, but %(company)s has %(ours)s: nothing is posted "
        "until an admin confirms that it is the right Fortnox company.",
        **p,
    )


def _fix(kind: str, p: dict[str, Any]) -> str:
    """What to do about a red line."""
    problem = p.get("problem", "")
    if kind == "scope":
        name = scope_name(str(p.get("scope")))
        if problem == "licence":
            return _(
                "Add the licence for %(name)s in Fortnox, then authorize Kassabok again.", name=name
            )
        fix = _(
            "An administrator authorizes Kassabok again and grants the “%(name)s” permission.",
            name=name,
        )
        if p.get("scope") in ("archive", "connectfile"):  # oauth.FILES: posting goes on
            fix += " " + _("Until then vouchers are posted without their Z-reports.")
        return fix
    if kind == "connection":
        return _("An administrator authorizes Kassabok in Fortnox on this page.")
    if kind == "orgnr":
        return _(
            "Only an admin of the company can confirm, on the Fortnox page, that it is the right "
            "Fortnox company; or authorize Kassabok again for the right one."
        )
    if kind in ("cost_centers",):
        return _("Turn on cost centers (Kostnadsställen) in Fortnox's settings.")
    if kind == "cost_center":
        if problem == "inactive":
            return _("Activate the cost center in Fortnox (Register › Kostnadsställen).")
        return _("Create it in Fortnox (Register › Kostnadsställen) or change the store's.")
    if kind == "mapping":
        return _("Map the accounts on the mapping page.")
    if kind == "account":
        if problem == "inactive":
            return _("Activate the account in Fortnox, or map another one.")
        if problem == "notallowed":
            return _("Allow cost centers on the account in Fortnox, or map another one.")
        return _("Create the account in Fortnox, or map another one.")
    if kind == "series":
        return _(
            "Create series %(code)s in Fortnox and tick “Manuell kontering”, or choose another "
            "series in the settings.",
            code=p.get("code"),
        )
    if kind == "year":
        return _("Create the financial year in Fortnox (Inställningar › Räkenskapsår).")
    if kind == "locked":
        return _(
            "Move the start date after %(end)s in the settings, or unlock the period in Fortnox.",
            end=p.get("end"),
        )
    return _("Re-run the checks in a while.")
