"""What an audit event names, in the reader's words: its target, and the fields it changed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.companies.forms import ROLE_LABELS, SettingsForm
from app.words import mapping_place

# Fields people change that are not the settings form's or the mapping's.
FIELDS = {
    "require_totp": _l("Two-factor sign-in required"),
    "role": _l("Role"),
    "stores": _l("Stores"),
    "name": _l("Name"),
    "cost_center": _l("Cost center"),
    "daily_digest": _l("Daily e-mail"),
}
# Who acted, when it was Kassabok itself rather than a person (an e-mail address).
ACTORS = {
    "system": _l("Kassabok"),
    "worker": _l("Kassabok (in the background)"),
    "cli": _l("Command line"),
    "demo seed": _l("Demo data"),
}
# A target as areas record it (app/*: record(..., target=...)), its kind in words.
_TARGET = re.compile(r"(?P<kind>[a-z]+)[: ](?P<rest>.+)")
TARGETS = {
    "closure": _l("Closure %(id)s"),
    "company": _l("Company %(id)s"),
    "fortnox": _l("Fortnox database %(id)s"),
    "report": _l("Report %(id)s"),
    "rejected": _l("Refused payload %(id)s"),
    "costcenter": _l("Cost center %(id)s"),
    "link": _l("Authorization link %(id)s"),
    "zchain": _l("Z-number chain %(id)s"),
    "user": _l("User %(id)s"),
}


@dataclass(frozen=True)
class Target:
    """A target in words, with the page that shows it when there is one."""

    text: str
    href: str | None = None


def target(company_id: int, raw: str) -> Target:
    """The target in words: "Closure 63" (a link), "Mapping version 3", "Store S01, 2026-10-01"."""
    found = _TARGET.fullmatch(raw or "")
    if raw.startswith("mapping v") and raw[9:].isdigit():
        return Target(gettext("Mapping version %(v)s", v=raw[9:]))
    if raw.startswith("storeday:"):
        store, _sep, day = raw[9:].rpartition(":")
        return Target(gettext("Store %(store)s, %(day)s", store=store, day=day))
    if not found or found["kind"] not in TARGETS:
        return Target(raw)
    kind, rest = found["kind"], found["rest"]
    text = str(TARGETS[kind]) % {"id": rest}
    if kind == "closure" and rest.isdigit():
        return Target(text, url_for("closures.show", company_id=company_id, pk=int(rest)))
    return Target(text)


def field(key: str) -> str:
    """A changed field in words: a setting's label, a place in the mapping, a member's field."""
    section, _sep, code = key.partition("/")
    if code:
        return mapping_place(section, code)
    unbound = getattr(SettingsForm, key, None)
    if unbound is not None and getattr(unbound, "args", None):
        return str(unbound.args[0])
    return str(FIELDS[key]) if key in FIELDS else key


def actor(raw: str) -> str:
    """Who acted: a person's e-mail address as it is, Kassabok's own names in words."""
    return str(ACTORS[raw]) if raw in ACTORS else raw


def value(raw: Any, key: str = "") -> str:
    """A before or after value in words: yes/no, roles named, lists joined, nothing as a dash."""
    if raw is None or raw == "":
        return "—"
    if key == "role" and raw in ROLE_LABELS:
        return str(ROLE_LABELS[raw])
    if isinstance(raw, bool):
        return gettext("yes") if raw else gettext("no")
    if isinstance(raw, list):
        return ", ".join(str(v) for v in raw) or "—"
    return str(raw)
