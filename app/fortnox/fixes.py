"""What fixes a red pre-flight line: a link to the page that fixes it, or a button that does it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.service import record
from app.companies.models import Company, Store
from app.fortnox import api, tokens
from app.fortnox.checks import Check, scope_name
from app.fortnox.conditions import LICENCE_CODES
from app.fortnox.errors import AuthLost, FortnoxError, NeedsAction, Retryable

SCOPE = "costcenter"  # what POST /3/costcenters needs (FORTNOX.md §4.4)
CODE_MAX = 6  # fortnox_CostCenter.Code maxLength in Fortnox's OpenAPI document


@dataclass(frozen=True)
class Action:
    """A link (href), a button (post, with its hidden fields), or else a sentence, fixing a line."""

    label: str
    href: str = ""
    post: str = ""
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Notice:
    """What a button did, shown in the panel: level (success, info, error), words, and where."""

    level: str
    text: str
    at: str = "top"  # "top", "run" (beside the run button) or the key of the line it concerns


def granted(conn: Any) -> set[str] | None:
    """The scopes the connection was given, or None when Kassabok does not know them."""
    scopes = set((getattr(conn, "scope", "") or "").replace(",", " ").split())
    return scopes or None


def may_create(conn: Any) -> bool:
    """True unless the connection is known to lack the permission to create cost centers."""
    scopes = granted(conn)
    return scopes is None or SCOPE in scopes


def plan(
    session: Session, checks: list[Check], company: Company, conn: Any, *, is_admin: bool
) -> dict[str, list[Action]]:
    """The links and buttons that fix each red line, by the line's key."""
    stores = {
        s.store_id: s for s in session.exec(select(Store).where(Store.company_id == company.id))
    }
    out = {}
    for check in checks:
        found = [] if check.ok else _actions(check, company, conn, is_admin, stores)
        if found:
            out[check.key] = found
    return out


def _actions(
    check: Check, company: Company, conn: Any, is_admin: bool, stores: dict[str, Store]
) -> list[Action]:
    """What fixes one red line."""
    cid = company.id
    kind, problem = check.kind, check.params.get("problem", "")
    if kind == "connection" or (kind == "scope" and problem == "scope"):
        href = _url("fortnox.authorize", cid)
        return [Action(_("Authorize Kassabok in Fortnox"), href=href)] if is_admin else []
    if kind == "orgnr":
        return [Action(_("Confirm the Fortnox company"), href="#fortnox-connection")]
    if kind == "cost_center":
        return _cost_center(check, company, conn, is_admin, stores.get(check.params.get("store")))
    if kind in ("mapping", "account"):
        label = _("Open the mapping") if kind == "mapping" else _("Map another account")
        return [Action(label, href=_url("mapping.index", cid))]
    if kind in ("series", "locked") and is_admin:
        return [Action(_("Open the company settings"), href=_url("companies.settings", cid))]
    return []


def _cost_center(
    check: Check, company: Company, conn: Any, is_admin: bool, store: Store | None
) -> list[Action]:
    """Create the store's missing cost center in Fortnox, or change the store's."""
    p, out = check.params, []
    code = str(p.get("code") or "")
    if p.get("problem") == "missing" and not may_create(conn):
        out.append(Action(lacks_scope()))
        if is_admin:
            href = _url("fortnox.authorize", company.id)
            out.append(Action(_("Authorize Kassabok in Fortnox"), href=href))
    elif p.get("problem") == "missing" and len(code) <= CODE_MAX:
        out.append(
            Action(
                _("Create cost center %(code)s in Fortnox", code=code),
                post=_url("fortnox.create_cost_center", company.id),
                fields={"store": str(p.get("store") or "")},
            )
        )
    if is_admin and store is not None and p.get("problem") in ("missing", "empty"):
        href = url_for("companies.edit_store", company_id=company.id, store_pk=store.id)
        out.append(Action(_("Change the store's cost center"), href=href))
    return out


def _url(endpoint: str, company_id: int | None) -> str:
    """A page of the company."""
    return url_for(endpoint, company_id=company_id)


def lacks_scope() -> str:
    """Why Kassabok may not create a cost center, and which permission to reconnect with."""
    return _(
        "Kassabok's connection lacks Fortnox's “%(name)s” permission, so it cannot create "
        "cost centers. An administrator authorizes Kassabok again on this page and grants it.",
        name=scope_name(SCOPE),
    )


def create_cost_center(session: Session, company: Company, store_id: str, user: Any) -> Notice:
    """Create a store's cost center in Fortnox (audited; the caller commits and re-runs checks)."""
    query = select(Store).where(Store.company_id == company.id, Store.store_id == store_id)
    store = session.exec(query).first()
    key = f"cost_center:{store_id}"
    if store is None or not store.cost_center:
        return Notice("error", _("The store has no cost center: give it one first."), key)
    code = store.cost_center
    if len(code) > CODE_MAX:
        text = _(
            "Fortnox's cost center codes have at most %(max)s characters; %(code)s has more. "
            "Give the store a shorter one.",
            max=CODE_MAX,
            code=code,
        )
        return Notice("error", text, key)
    if not may_create(tokens.connection(session, company.id or 0)):
        return Notice("error", lacks_scope(), key)
    try:
        client = api.client_for(session, company.id or 0)
    except AuthLost:
        return Notice("error", _("Kassabok is not connected to Fortnox."), key)
    try:
        made = api.create_cost_center(client, code, store.name or store.store_id)
    except NeedsAction as err:
        if err.status == 403 or err.code in LICENCE_CODES:
            return Notice("error", lacks_scope(), key)
        if _exists(client, code):  # made meanwhile (another click, or by hand in Fortnox)
            return Notice("info", _("Cost center %(code)s exists in Fortnox already.", code=code))
        return Notice("error", err.human(), key)
    except FortnoxError as err:
        return Notice("error", err.human() if isinstance(err, Retryable) else err.message, key)
    finally:
        client.close()
    detail = {"code": code, "description": made.get("Description", ""), "store": store.store_id}
    record(
        session,
        action="fortnox.cost_center_created",
        company_id=company.id,
        user=user,
        target=f"costcenter:{code}",
        detail=detail,
    )
    text = _("Cost center %(code)s was created in Fortnox for store %(store)s.", code=code,
             store=store.name or store.store_id)  # fmt: skip
    return Notice("success", text)


def _exists(client: Any, code: str) -> bool:
    """True when Fortnox lists the cost center (reading errors count as no)."""
    try:
        return any(str(c.get("Code")) == code for c in api.list_cost_centers(client))
    except FortnoxError:
        return False
