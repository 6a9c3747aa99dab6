"""Deciding what happens to a closure: on arrival, after a fix, on approval, retry or note."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.audit.service import record
from app.closures.models import Closure, ClosureState
from app.companies.models import Company
from app.fortnox import preflight
from app.fortnox.models import FortnoxConnection
from app.fortnox.tokens import CONNECTED
from app.posting import checks, jobs, state
from app.posting.holds import Hold
from app.posting.reasons import Reason, encode
from app.posting.revisions import newer_revision_hold, supersede_older

S = ClosureState
# Closures a change of mapping, settings or connection may set moving again.
RECHECKED = (S.RECEIVED, S.HELD, S.AWAITING_APPROVAL)
# Holds only a person's action (not a re-check) clears.
STICKY = {"correction_due"}


def _(text: str) -> str:
    """Mark a user-visible string for translation (stored in the source language)."""
    return text


class NotAllowed(Exception):
    """The closure is not in a state that allows this action."""


def connected(session: Session, company_id: int) -> bool:
    """True when the company holds a live Fortnox connection."""
    conn = session.exec(
        select(FortnoxConnection).where(FortnoxConnection.company_id == company_id)
    ).first()
    return conn is not None and conn.status == CONNECTED


def was_approved(session: Session, closure: Closure) -> bool:
    """True when the audit trail holds an approval of this very closure revision."""
    return (
        session.exec(
            select(AuditEvent.id).where(
                AuditEvent.company_id == closure.company_id,
                AuditEvent.action == "closure.approved",
                AuditEvent.target == f"closure:{closure.id}",
            )
        ).first()
        is not None
    )


def admit(session: Session, closure: Closure) -> str:
    """Decide where a closure that may post goes next; enqueue after commit when queued.

    With approve-first, only a recorded approval of this revision lets it queue: no retry,
    re-check, correction or command skips that.
    """
    company = session.get(Company, closure.company_id)
    assert company is not None
    if closure.state not in (*RECHECKED, S.FAILED):
        return closure.state
    if company.start_date and closure.business_date < company.start_date:
        return _park(session, closure, "before_start_date", date=company.start_date.isoformat())
    if not company.sync_sales:
        return _park(session, closure, "sync_off")
    holds: list[Hold] = []
    blocker = newer_revision_hold(session, closure, company)
    if blocker is not None:
        holds.append(blocker)
    if not connected(session, company.id or 0):
        holds.append(checks.hold("auth_lost"))
    if closure.voucher_number is None:  # a half-posted closure was checked when it posted
        holds += checks.plan(session, closure, company).holds
    if not holds:
        holds += _preflight_holds(session, closure)
    if holds:
        reason, code = checks.summary(holds)
        if closure.state == S.HELD and (closure.state_reason, closure.hold_code) == (reason, code):
            return S.HELD
        state.move(session, closure, S.HELD, reason=reason, hold_code=code)
        return closure.state
    # One already waiting keeps waiting when approve-first is switched off: it awaits a review.
    needs_approval = (
        (company.approve_first or closure.state == S.AWAITING_APPROVAL)
        and closure.voucher_number is None
        and not was_approved(session, closure)
    )
    target = S.AWAITING_APPROVAL if needs_approval else S.QUEUED
    if closure.state == target:
        return target
    fields: dict[str, Any] = {"attempts": 0} if target == S.QUEUED else {}
    if state.move(session, closure, target, **fields) and target == S.QUEUED:
        jobs.enqueue_post_after_commit(session, closure)
    return closure.state


def _preflight_holds(session: Session, closure: Closure) -> list[Hold]:
    """Fresh stored pre-flight red lines that stop this closure, as the post job would hold."""
    red = preflight.blocking_stored(
        session, closure.company_id, store=closure.store_code, day=closure.business_date
    )
    return [checks.hold(code, **detail) for code, detail in preflight.holds(red)]


def _park(session: Session, closure: Closure, code: str, **detail: str) -> str:
    """Keep a closure recorded but unposted, saying why."""
    reason = encode([Reason(code, detail)])
    if closure.state == S.RECEIVED:
        state.annotate(session, closure, reason=reason, hold_code=code)
    elif closure.state_reason != reason:
        state.move(session, closure, S.HELD, reason=reason, hold_code=code)
    return closure.state


def on_closure_received(
    session: Session, closure_pk: int, older: list[Closure] | None = None
) -> str:
    """Called by ingest in its transaction: supersede older revisions, then admit."""
    closure = session.get(Closure, closure_pk)
    if closure is None:
        return "missing"
    supersede_older(session, closure, older)
    return admit(session, closure)


def wake_newer(session: Session, closure: Closure) -> None:
    """After an older revision settles, let the newest one take over."""
    newest = session.exec(
        select(Closure).where(
            Closure.company_id == closure.company_id,
            Closure.closure_id == closure.closure_id,
            Closure.is_latest.is_(True),  # type: ignore[attr-defined]
        )
    ).first()
    if newest is None or newest.id == closure.id:
        return
    supersede_older(session, newest)
    admit(session, newest)


def recheck_holds(session: Session, company_id: int, *, codes: set[str] | None = None) -> int:
    """Re-evaluate closures waiting on a fix (only those held for codes, when given)."""
    query = select(Closure).where(
        Closure.company_id == company_id,
        Closure.state.in_([str(s) for s in RECHECKED]),  # type: ignore[attr-defined]
        Closure.is_latest.is_(True),  # type: ignore[attr-defined]
    )
    if codes is not None:
        query = query.where(Closure.hold_code.in_(sorted(codes)))  # type: ignore[attr-defined]
    waiting = session.exec(query).all()
    moved = 0
    for closure in waiting:
        if closure.hold_code in STICKY:
            continue
        before = closure.state
        if admit(session, closure) != before:
            moved += 1
    return moved


def approve(session: Session, *, closure_pk: int, user: Any) -> Closure:
    """An accountant's approval: the closure is checked once more and queued."""
    closure = _get(session, closure_pk)
    if closure.state != S.AWAITING_APPROVAL:
        raise NotAllowed(_("This closure is not awaiting approval."))
    _audit(session, closure, "closure.approved", user)
    session.flush()
    admit(session, closure)
    return closure


def approve_all(session: Session, *, company_id: int, user: Any) -> int:
    """Approve every closure of the company awaiting approval; returns how many were queued."""
    waiting = session.exec(
        select(Closure).where(
            Closure.company_id == company_id, Closure.state == S.AWAITING_APPROVAL
        )
    ).all()
    for closure in waiting:
        _audit(session, closure, "closure.approved", user)
        session.flush()
        admit(session, closure)
    return sum(1 for c in waiting if c.state == S.QUEUED)


def retry(session: Session, *, closure_pk: int, user: Any) -> Closure:
    """One click: a failed or held closure is checked again and, if fine, queued at once."""
    closure = _get(session, closure_pk)
    if closure.state not in (S.FAILED, S.HELD):
        return closure  # already queued, posting or done: a second click changes nothing
    _audit(session, closure, "closure.retry", user)
    admit(session, closure)
    return closure


def add_note(session: Session, *, closure_pk: int, user: Any, note: str) -> Closure:
    """Explain a cash difference (or anything else); a held closure is then checked again."""
    closure = _get(session, closure_pk)
    closure.note = note.strip()[:2000]
    session.add(closure)
    session.flush()
    _audit(session, closure, "closure.note", user, note=closure.note)
    if closure.state == S.HELD:
        admit(session, closure)
    return closure


def _get(session: Session, closure_pk: int) -> Closure:
    closure = session.get(Closure, closure_pk)
    if closure is None:
        raise LookupError(closure_pk)
    return closure


def _audit(session: Session, closure: Closure, action: str, user: Any, **detail: Any) -> None:
    record(
        session,
        action=action,
        company_id=closure.company_id,
        user=user,
        target=f"closure:{closure.id}",
        detail={"state": closure.state, **detail},
    )
