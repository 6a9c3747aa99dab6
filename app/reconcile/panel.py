"""What the panel of one cell shows: closures, rows side by side, history, reviews, actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.closures.models import Closure
from app.companies.models import Company
from app.posting.models import PostedDocument
from app.reconcile.grid import closure_status
from app.reconcile.models import ClosureCheck, Review, StoreDayCheck
from app.reports.trail import ACTIONS

EDITORS = (Role.ADMIN, Role.ACCOUNTANT)
FIXERS = (*EDITORS, Role.STORE_MANAGER)
BUSY = ("queued", "posting")


@dataclass
class ClosureView:
    """One closure of the cell with its last check."""

    closure: Closure
    status: str
    check: ClosureCheck | None
    documents: list[PostedDocument] = field(default_factory=list)
    history: list[AuditEvent] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        """True while a job posts it."""
        return self.closure.state in BUSY


def actions_for(closure: Closure, status: str, role: Role | None) -> list[str]:
    """The actions this role may take on the closure now (only those posting provides)."""
    from app.posting import revisions, service

    out = []
    fixable = closure.state in ("failed", "held") and closure.hold_code != "correction_due"
    if role in FIXERS and fixable and hasattr(service, "retry"):
        out.append("retry")
    if role in EDITORS and closure.state == "awaiting_approval" and hasattr(service, "approve"):
        out.append("approve")
    due = closure.hold_code == "correction_due" or status == "superseded"
    if role in EDITORS and due and hasattr(revisions, "request_correction"):
        out.append("correct")
    return out


def cell_closures(session: Session, company: Company, store_code: str, day: date) -> list[Closure]:
    """The latest revisions of the store-day's closures."""
    return list(
        session.exec(
            select(Closure)
            .where(
                Closure.company_id == company.id,
                Closure.store_code == store_code,
                Closure.business_date == day,
                col(Closure.is_latest).is_(True),
            )
            .order_by(Closure.register_id, Closure.z_number)
        ).all()
    )


def cell_panel(
    session: Session, company: Company, store_code: str, day: date, role: Role | None
) -> dict[str, Any]:
    """The template context of one cell's panel."""
    closures = cell_closures(session, company, store_code, day)
    pks = [c.id for c in closures]
    every = session.exec(
        select(Closure.id, Closure.closure_id).where(
            Closure.company_id == company.id,
            col(Closure.closure_id).in_([c.closure_id for c in closures]),
        )
    ).all()
    targets = {f"closure:{pk}": cid for pk, cid in every}
    checks = {
        c.closure_pk: c
        for c in session.exec(select(ClosureCheck).where(col(ClosureCheck.closure_pk).in_(pks)))
    }
    docs: dict[int, list[PostedDocument]] = {}
    for doc in session.exec(select(PostedDocument).where(col(PostedDocument.closure_pk).in_(pks))):
        docs.setdefault(doc.closure_pk, []).append(doc)
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.company_id == company.id, col(AuditEvent.target).in_(list(targets)))
        .order_by(col(AuditEvent.id))
    ).all()
    views = []
    for c in closures:
        check = checks.get(c.id or 0)
        status = closure_status(
            c.state,
            c.hold_code,
            (check.status, check.state_version) if check else None,
            c.state_version,
        )
        history = [e for e in events if targets.get(e.target) == c.closure_id]
        views.append(
            ClosureView(
                c, status, check, docs.get(c.id or 0, []), history, actions_for(c, status, role)
            )
        )
    day_check = session.exec(
        select(StoreDayCheck).where(
            StoreDayCheck.company_id == company.id,
            StoreDayCheck.store_code == store_code,
            StoreDayCheck.business_date == day,
        )
    ).first()
    reviews = session.exec(
        select(Review)
        .where(
            Review.company_id == company.id,
            Review.store_code == store_code,
            Review.business_date == day,
        )
        .order_by(col(Review.id))
    ).all()
    return {
        "store_code": store_code,
        "day": day,
        "views": views,
        "day_check": day_check,
        "reviews": reviews,
        "can_review": role in EDITORS,
        "busy": any(v.busy for v in views),
        "unposted": [v for v in views if v.closure.state not in ("posted", "superseded")],
        "action_labels": ACTIONS,  # an event's action in words (translated in the template)
    }
