"""Bulk retry and approve of what a month board shows: one closure at a time, as its own button."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col

from app.auth.models import Role
from app.closures.models import Closure, ClosureState
from app.companies.models import Company
from app.reconcile.counts import closure_status, with_status
from app.reconcile.facts import STATUSES
from app.reconcile.grid import parse_month, shift
from app.reconcile.load import unreversed_older
from app.reconcile.panel import EDITORS, FIXERS, actions_for

S = ClosureState
ACTIONS = ("retry", "approve")
# Who may ask at all (each closure is still checked as its own button checks it).
ROLES = {"retry": FIXERS, "approve": EDITORS}
STATES = {"retry": (S.FAILED, S.HELD), "approve": (S.AWAITING_APPROVAL,)}
LIMIT = 200  # closures per confirmation: each is checked against the mapping and pre-flight
SKIPPED = {
    S.POSTED: _l("already posted"),
    S.QUEUED: _l("already queued"),
    S.POSTING: _l("being posted"),
    S.AWAITING_APPROVAL: _l("awaiting approval"),
    S.SUPERSEDED: _l("replaced by a newer revision"),
    S.HELD: _l("held, not awaiting approval"),
    S.FAILED: _l("failed, not awaiting approval"),
}
NOT_YOURS = _l("not a closure of your stores")


@dataclass(frozen=True)
class View:
    """The board's filters: which closures "this view" means."""

    month: date
    status: str = ""
    store: str = ""

    def query(self) -> dict[str, str]:
        """The filters as the board's query string has them."""
        return {"month": self.month.strftime("%Y-%m"), "status": self.status, "store": self.store}


@dataclass
class Outcome:
    """What one closure's bulk action did: its state after, or why it was skipped."""

    closure: Closure
    skipped: str = ""


def view_of(args: Mapping[str, str]) -> View:
    """The view the board's query (or a form carrying it) names."""
    status = args.get("status", "")
    return View(
        parse_month(args.get("month")),
        status if status in STATUSES else "",
        args.get("store", "")[:64],
    )


def _seen(visible: set[int] | None, closure: Closure) -> bool:
    """True when the user sees the closure's store (None: every store)."""
    return visible is None or closure.store_pk in visible


def candidates(
    session: Session,
    company: Company,
    visible: set[int] | None,
    role: Role | None,
    view: View,
    action: str,
) -> list[tuple[Closure, str]]:
    """The closures of the view the role may act on now, each with its status, oldest first."""
    if role not in ROLES[action]:
        return []
    last = date.fromordinal(shift(view.month, 1).toordinal() - 1)
    query = with_status(Closure).where(
        Closure.company_id == company.id,
        col(Closure.is_latest).is_(True),
        col(Closure.business_date).between(view.month, last),
        col(Closure.state).in_([str(s) for s in STATES[action]]),
    )
    if view.store:
        query = query.where(Closure.store_code == view.store)
    if visible is not None:
        query = query.where(col(Closure.store_pk).in_(sorted(visible)))
    order = (Closure.business_date, Closure.store_code, Closure.register_id, Closure.z_number)
    rows = session.exec(query.order_by(*order)).all()
    due = unreversed_older(session, company.id or 0, [row[0].closure_id for row in rows])
    out = []
    for closure, state, hold, version, checked, checked_version in rows:
        check = None if checked is None else (checked, checked_version)
        status = closure_status(state, hold, check, version)
        if view.status and status != view.status:
            continue
        if action in actions_for(closure, "superseded" if closure.closure_id in due else "", role):
            out.append((closure, status))
    return out


def offers(
    session: Session, company: Company, visible: set[int] | None, role: Role | None, view: View
) -> list[tuple[str, int]]:
    """Each bulk action the role may take on the view, with how many closures it would touch."""
    found = [(a, len(candidates(session, company, visible, role, view, a))) for a in ACTIONS]
    return [(action, n) for action, n in found if n]


def shown(
    session: Session, company: Company, visible: set[int] | None, pks: list[int]
) -> list[Closure]:
    """The closures of pks (at most LIMIT) that are the company's and the user sees, in order."""
    found = (session.get(Closure, pk) for pk in pks[:LIMIT])
    return [c for c in found if c and c.company_id == company.id and _seen(visible, c)]


def run(
    session: Session,
    company: Company,
    visible: set[int] | None,
    role: Role | None,
    user: Any,
    action: str,
    pks: list[int],
) -> list[Outcome]:
    """Retry or approve each closure in turn through posting's services; commit each on its own."""
    from app.posting import service

    outcomes = []
    for closure in shown(session, company, visible, pks):
        pk = closure.id or 0
        due = closure.closure_id in unreversed_older(session, company.id or 0, [closure.closure_id])
        if action not in actions_for(closure, "superseded" if due else "", role):
            outcomes.append(Outcome(closure, str(SKIPPED.get(closure.state, NOT_YOURS))))
            continue
        try:
            if action == "retry":
                service.retry(session, closure_pk=pk, user=user)
            else:
                service.approve(session, closure_pk=pk, user=user)
        except service.NotAllowed:  # approved by someone else a moment ago
            session.rollback()
            outcomes.append(Outcome(closure, str(SKIPPED[S.QUEUED])))
            continue
        session.commit()  # each closure's own unit of work: a later one's trouble undoes nothing
        outcomes.append(Outcome(closure))
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    """What happened, counted: "3 queued, 1 skipped: already posted"."""
    done = Counter(o.closure.state for o in outcomes if not o.skipped)
    skipped = Counter(o.skipped for o in outcomes if o.skipped)
    queued = done[S.QUEUED] + done[S.POSTING] + done[S.POSTED]
    parts = []
    if queued:
        parts.append(ngettext("%(num)d queued", "%(num)d queued", queued))
    if done[S.AWAITING_APPROVAL]:
        n = done[S.AWAITING_APPROVAL]
        parts.append(ngettext("%(num)d awaiting approval", "%(num)d awaiting approval", n))
    if done[S.HELD] or done[S.FAILED]:
        n = done[S.HELD] + done[S.FAILED]
        parts.append(ngettext("%(num)d still held", "%(num)d still held", n))
    for why, n in skipped.items():
        parts.append(ngettext("%(num)d skipped: %(why)s", "%(num)d skipped: %(why)s", n, why=why))
    return ", ".join(parts) or gettext("Nothing was done: no closure of this view was chosen.")
