"""One row per company the user holds: role, connection health, last posted day, counts.

Other areas add figures without touching this module's callers: register a contributor with

    @contributes
    def mismatches(session, rows): ...   # fill row.counts["mismatch"] for each OverviewRow

Contributors get every row at once (one query for all companies, please) and must respect
row.visible (None = all stores; a set of store primary keys for a store manager).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from app.auth.models import Role, User
from app.auth.scoping import only_stores, user_companies, visible_store_ids
from app.closures.models import Closure, ClosureState
from app.companies.models import Company
from app.fortnox.models import FortnoxConnection

HEALTH = ("ok", "lost", "none")


@dataclass
class OverviewRow:
    """What the overview shows about one company."""

    company: Company
    role: Role
    visible: set[int] | None
    health: str = "none"  # ok | lost | none (never connected)
    health_detail: str = ""
    last_posted: date | None = None
    # With the reconcile area: the last day every store-day seen is matched or reviewed, i.e.
    # settled (app/reconcile/counts.last_settled); a reviewed mismatch is done with, too.
    last_matched: date | None = None
    counts: dict[str, int] = field(default_factory=dict)  # held, failed, mismatch, ...
    attention: list[Any] = field(default_factory=list)  # store-days needing someone, oldest first

    @property
    def needs_someone(self) -> int:
        """How many of the row's counts need someone: 0 is the only "nothing to do"."""
        return sum(n or 0 for n in self.counts.values())


Contributor = Callable[[Session, list[OverviewRow]], None]
CONTRIBUTORS: list[Contributor] = []


def contributes(func_: Contributor) -> Contributor:
    """Register a function that adds figures to the overview rows."""
    if func_ not in CONTRIBUTORS:
        CONTRIBUTORS.append(func_)
    return func_


def overview_rows(session: Session, user: User) -> list[OverviewRow]:
    """The user's companies with every contributed figure."""
    rows = [
        OverviewRow(company=c, role=Role(m.role), visible=visible_store_ids(session, user, c))
        for c, m in user_companies(session, user)
    ]
    for contributor in (connection_health, closure_figures, *CONTRIBUTORS):
        if rows:
            contributor(session, rows)
    return rows


def connection_health(session: Session, rows: list[OverviewRow]) -> None:
    """The Fortnox connection's state per company."""
    ids = [row.company.id for row in rows]
    links = session.exec(select(FortnoxConnection).where(FortnoxConnection.company_id.in_(ids)))  # type: ignore[attr-defined]
    by_company = {link.company_id: link for link in links}
    for row in rows:
        link = by_company.get(row.company.id)  # type: ignore[arg-type]
        if link is None or link.status in ("", "disconnected"):
            row.health = "none"
        elif link.status == "connected":
            row.health = "ok"
        else:
            row.health, row.health_detail = "lost", link.lost_reason


def closure_figures(session: Session, rows: list[OverviewRow]) -> None:
    """Last posted business day within the user's stores (counts: app/reconcile/counts.py)."""
    for row in rows:
        base = select(func.max(Closure.business_date)).where(
            Closure.company_id == row.company.id, Closure.state == ClosureState.POSTED
        )
        row.last_posted = session.exec(only_stores(base, Closure.store_pk, row.visible)).one()
