"""The portal's navigation: one list, each link shown when its area exists and the role fits."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import lazy_gettext as _l

from app.auth.models import Role

ALL = tuple(Role)
READERS = (Role.ADMIN, Role.ACCOUNTANT, Role.AUDITOR)
EDITORS = (Role.ADMIN, Role.ACCOUNTANT)

# (endpoint, label, roles that see it). Areas add their line here; endpoints that are not
# registered (yet) are simply left out, so the list may name areas still being built.
COMPANY_NAV: tuple[tuple[str, object, tuple[Role, ...]], ...] = (
    ("dashboard.index", _l("Dashboard"), ALL),
    ("evidence.chain", _l("Evidence"), ALL),  # evidence: the Z-chain, VAT tie-out, SIE 4
    ("closures.index", _l("Closures"), ALL),
    ("posting.approvals", _l("Approvals"), EDITORS),  # while anything waits, or approve-first
    ("mapping.index", _l("Mapping"), READERS),
    ("fortnox.index", _l("Fortnox"), (Role.ADMIN, Role.ACCOUNTANT)),
    ("reports.index", _l("Reports"), READERS),
    # till to bank: money arrived (store managers: their cash deposits); its tabs lead readers
    # on to the imported statements and settlement reports (one entry: the menu fits 1366 px)
    ("clearing.index", _l("Bank"), ALL),
    ("companies.settings", _l("Settings"), (Role.ADMIN,)),
    ("companies.stores", _l("Stores"), ALL),
    ("people.index", _l("Users"), (Role.ADMIN,)),
    ("tokens.index", _l("API tokens"), (Role.ADMIN,)),
    ("audit.index", _l("Audit"), READERS),
)
# A menu entry whose pages also live under another area's address (the Bank's tabs).
ALSO_UNDER = {"clearing.index": ("bank.index",)}


@dataclass(frozen=True)
class NavItem:
    """One link of the company navigation."""

    endpoint: str
    label: object
    url: str
    blueprint: str
    count: int = 0
    under: tuple[str, ...] = ()  # the addresses whose pages are this entry's (its url first)

    @property
    def current(self) -> bool:
        """Whether the page being shown is this entry's."""
        return has_request_context() and request.path.startswith(self.under or (self.url,))


def _shown(company: object | None, role: str | None) -> list[tuple[str, object]]:
    """(endpoint, label) of the menu pages the role may open for the company on `g`."""
    company = company if company is not None else g.get("company")
    membership = g.get("membership")
    role = role or (membership.role if membership is not None else None)
    if company is None or role is None:
        return []
    views = current_app.view_functions
    shown = [(e, label) for e, label, roles in COMPANY_NAV if e in views and role in roles]
    if any(e == APPROVALS for e, _label in shown) and not _approvals_wanted(company):
        shown = [(e, label) for e, label in shown if e != APPROVALS]
    return shown


APPROVALS = "posting.approvals"


def waiting_approval(company: object) -> int:
    """How many closures of company await approval (what the approvals page lists)."""
    if "waiting_approval" not in g:
        from sqlmodel import func, select

        from app.closures.models import Closure, ClosureState
        from app.db import get_session

        query = select(func.count()).where(
            Closure.company_id == company.id,  # type: ignore[attr-defined]
            Closure.state == ClosureState.AWAITING_APPROVAL,
        )
        g.waiting_approval = get_session().exec(query).one()
    return int(g.waiting_approval)


def _approvals_wanted(company: object) -> bool:
    """The approvals page is in the menu whenever something waits, or approve-first is on."""
    return bool(getattr(company, "approve_first", False)) or waiting_approval(company) > 0


def nav_items(company: object | None = None, role: str | None = None) -> list[NavItem]:
    """The links for the company on `g` (set by company_for) that the user's role may see."""
    company = company if company is not None else g.get("company")
    items = []
    for e, label in _shown(company, role):  # none without a company
        cid = company.id  # type: ignore[attr-defined]
        url = url_for(e, company_id=cid)
        also = [
            url_for(a, company_id=cid)
            for a in ALSO_UNDER.get(e, ())
            if a in current_app.view_functions
        ]
        count = waiting_approval(company) if e == APPROVALS else 0
        items.append(NavItem(e, label, url, e.partition(".")[0], count, (url, *also)))
    return items


def may_open_page(endpoint: str) -> bool:
    """Whether the user may open endpoint's menu page of the company on `g` (no URLs built)."""
    return any(e == endpoint for e, _label in _shown(None, None))


def init_app(app: Flask) -> None:
    """Make nav_items, may_open_page and health_of available to every template."""
    app.jinja_env.globals.update(
        nav_items=nav_items, may_open_page=may_open_page, health_of=health_of
    )


def health_of(company: object | None) -> str:
    """The company's Fortnox connection for the header badge: ok, lost or none."""
    if company is None:
        return ""
    from sqlmodel import select

    from app.db import get_session
    from app.fortnox.models import FortnoxConnection

    link = (
        get_session()
        .exec(
            select(FortnoxConnection).where(FortnoxConnection.company_id == company.id)  # type: ignore[attr-defined]
        )
        .first()
    )
    if link is None or link.status in ("", "disconnected"):
        return "none"
    return "ok" if link.status == "connected" else "lost"
