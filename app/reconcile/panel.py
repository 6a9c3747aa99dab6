"""What the panel of one cell shows: closures, rows side by side, history, reviews, actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import get_minus_sign_symbol, get_plus_sign_symbol
from flask_babel import get_locale
from sqlmodel import Session, col, select

from app.audit.actions import ACTIONS
from app.audit.models import AuditEvent
from app.auth.models import Role
from app.closures.models import Closure
from app.companies.models import Company
from app.i18n import money
from app.posting.models import PostedDocument
from app.reconcile.compare import Diff, stored_rows, total_row
from app.reconcile.counts import closure_status, reviewed_status
from app.reconcile.day import fingerprint, stored_lines, total_line
from app.reconcile.models import ClosureCheck, StoreDayCheck
from app.reconcile.reviews import changed, reviews_in, settled

EDITORS = (Role.ADMIN, Role.ACCOUNTANT)
FIXERS = (*EDITORS, Role.STORE_MANAGER)
BUSY = ("queued", "posting")
NOTE_HOLD = "cash_difference_over_threshold"  # posts once a note says why the cash is off


@dataclass
class ClosureView:
    """One closure of the cell with its last check."""

    closure: Closure
    status: str
    check: ClosureCheck | None
    documents: list[PostedDocument] = field(default_factory=list)
    history: list[AuditEvent] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    may_note: bool = False

    @property
    def busy(self) -> bool:
        """True while a job posts it."""
        return self.closure.state in BUSY

    @property
    def rows(self) -> tuple[Diff, ...]:
        """Its rows expected and in Fortnox, side by side, as the last check found them."""
        return stored_rows(self.check.detail) if self.check else ()

    @property
    def total(self) -> Diff:
        """Its rows summed."""
        return total_row(self.rows)


def needs_note(closure: Closure) -> bool:
    """True when the closure waits for a note on its cash difference (a retry alone won't do)."""
    return closure.state == "held" and closure.hold_code == NOTE_HOLD and not closure.note.strip()


def signed_money(value: Decimal) -> str:
    """A difference as the reader's locale writes it, with its sign: +100,00 kr, −100,00 kr."""
    locale = get_locale() or "sv"
    text = money(abs(value))
    if value > 0:
        return get_plus_sign_symbol(locale) + text
    return get_minus_sign_symbol(locale) + text if value < 0 else text


def actions_for(closure: Closure, status: str, role: Role | None) -> list[str]:
    """The actions this role may take on the closure now (only those posting provides)."""
    from app.posting import revisions, service

    out = []
    fixable = closure.state in ("failed", "held") and closure.hold_code != "correction_due"
    fixable = fixable and not needs_note(closure)  # the panel's note form retries instead
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
    found = reviews_in(session, company.id or 0, day, day, [store_code])
    reviews = found.get((store_code, day), [])
    holds = settled(reviews)
    views = []
    for c in closures:
        check = checks.get(c.id or 0)
        status = closure_status(
            c.state,
            c.hold_code,
            (check.status, check.state_version) if check else None,
            c.state_version,
        )
        status = reviewed_status(status, holds)  # as the cell, the legend, the API
        history = [e for e in events if targets.get(e.target) == c.closure_id]
        actions = actions_for(c, status, role)
        view = ClosureView(c, status, check, docs.get(c.id or 0, []), history, actions)
        view.may_note = role in FIXERS and needs_note(c)
        views.append(view)
    day_check = session.exec(
        select(StoreDayCheck).where(
            StoreDayCheck.company_id == company.id,
            StoreDayCheck.store_code == store_code,
            StoreDayCheck.business_date == day,
        )
    ).first()
    lines = stored_lines(day_check.detail) if day_check else ()
    return {
        "store_code": store_code,
        "day": day,
        "views": views,
        "day_check": day_check,
        "day_lines": lines,
        "day_total": total_line(lines),
        "reviews": reviews,
        "review_holds": holds,
        # The latest review saw other differences: what it saw and what the day has now.
        "review_changed": changed(reviews[-1], signed_money) if reviews else None,
        "seen": fingerprint(lines),  # what the reviewer sees; the review is bound to it
        "signed": signed_money,
        "errors": {},  # field id -> what to fix, shown beside the field (panel_forms.py)
        "values": {},  # field id -> what was typed in a refused form
        "can_review": role in EDITORS,
        "busy": any(v.busy for v in views),
        "unposted": [v for v in views if v.closure.state not in ("posted", "superseded")],
        "action_labels": ACTIONS,  # an event's action in words (translated in the template)
    }
