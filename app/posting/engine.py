"""The posting job: one owner per closure, search before any uncertain resend, record at once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import closing
from typing import Any

from sqlmodel import Session

from app import events
from app.audit.service import record
from app.closures.models import Closure, ClosureState
from app.companies.models import Company
from app.db import utcnow
from app.fortnox import api, preflight
from app.posting import aftercheck, checks, documents, jobs, reasons, state
from app.posting.holds import Hold
from app.posting.sendonce import Stop, settle
from app.posting.service import wake_newer
from app.posting.vouchers import ensure_owner, remember, send_voucher

log = logging.getLogger(__name__)
S = ClosureState


def post_closure(
    session: Session, closure_pk: int, admit: Callable[[int], float] | None = None
) -> str:
    """Post one queued closure; the word returned says how it ended.

    admit(company_id), when given, claims the company's rate budget first: a wait above zero
    leaves the closure queued and returns "busy" (the worker yields rather than sleep).
    """
    closure = session.get(Closure, closure_pk)
    if closure is None or closure.state != S.QUEUED:
        return "skipped"
    if admit is not None and admit(closure.company_id) > 0:
        session.rollback()
        return "busy"
    if not state.move(session, closure, S.POSTING, attempts=closure.attempts + 1):
        session.rollback()
        return "lost"
    session.commit()
    company = session.get(Company, closure.company_id)
    assert company is not None
    outcome = _attempt(session, closure, company)
    session.refresh(closure)
    if not closure.is_latest and outcome != "lost":
        wake_newer(session, closure)
        session.commit()
    if outcome == "posted":
        # The post is committed; its store-day is checked against Fortnox by the day's check
        # job, shared with the company's other posts of that day (never raises).
        aftercheck.note(closure)
        events.announce(events.CLOSURE_POSTED, session, closure_pk)  # never waited for
    return outcome


def _attempt(session: Session, closure: Closure, company: Company) -> str:
    """Run the post and turn each kind of error into hold, retry or failure (sendonce.settle)."""
    return settle(
        lambda: _post(session, closure, company),
        hold=lambda holds: _hold(session, closure, holds),
        retry=lambda why: _retry_later(session, closure, why),
        rollback=session.rollback,
        what=f"closure {closure.id}",
    )


def _post(session: Session, closure: Closure, company: Company) -> str:
    """Check, then send what is not in Fortnox yet: voucher first, then invoices or orders."""
    plan = checks.plan(session, closure, company)
    if plan.holds:
        raise Stop(plan.holds)
    assert plan.draft is not None and plan.mapping is not None
    if plan.nothing_to_book and closure.voucher_number is None:
        return _finish(session, closure, nothing_to_book=True, mapping_id=plan.mapping.id)
    _preflight(session, closure)
    with closing(api.client_for(session, closure.company_id)) as client:
        documents.ensure_customers(client, plan.invoices, fail=_stop_customer)
        if not plan.draft.is_empty and closure.voucher_number is None:
            made = send_voucher(session, client, closure, plan.draft)
            ref = (made.series, made.number, made.year)
            state.record_voucher(session, closure, ref, mapping_version_id=plan.mapping.id)
            remember(session, closure.company_id, made)
            _audit(session, closure, "closure.voucher_posted", plan.draft.key, ref)
            session.commit()
        for draft in plan.invoices:
            documents.post_document(session, client, closure, draft, owner=ensure_owner)
    return _finish(session, closure, nothing_to_book=False, mapping_id=plan.mapping.id)


def _preflight(session: Session, closure: Closure) -> None:
    """Stop (hold) when a red pre-flight line concerns this closure; results are cached briefly."""
    red = preflight.blocking(
        session, closure.company_id, store=closure.store_code, day=closure.business_date
    )
    if red:  # the red lines as data: their titles are written in the reader's language
        raise Stop([checks.hold(code, **detail) for code, detail in preflight.holds(red)])


def _stop_customer(customer: str) -> None:
    raise Stop([checks.hold("unknown_customer", customer=customer)])


def _audit(session: Session, closure: Closure, action: str, key: str, ref: Any) -> None:
    """Every post and Fortnox's answer goes on the audit trail."""
    record(
        session,
        action=action,
        company_id=closure.company_id,
        actor="worker",
        target=f"closure:{closure.id}",
        detail={"key": key, "answer": ref, "attempt": closure.attempts},
    )


def _finish(session: Session, closure: Closure, *, nothing_to_book: bool, mapping_id: Any) -> str:
    """Move to posted once everything is in Fortnox."""
    ensure_owner(session, closure)
    fields: dict[str, Any] = {"posted_at": utcnow(), "nothing_to_book": nothing_to_book}
    if closure.mapping_version_id is None:
        fields["mapping_version_id"] = mapping_id
    if not state.move(session, closure, S.POSTED, **fields):
        session.rollback()
        return "lost"
    if nothing_to_book:
        _audit(session, closure, "closure.nothing_to_book", "", None)
    session.commit()
    return "posted"


def _hold(session: Session, closure: Closure, holds: list[Hold]) -> str:
    """Put the closure on hold with every reason and its fix."""
    session.rollback()
    session.refresh(closure)
    reason, code = checks.summary(holds)
    if closure.state != S.POSTING or not state.move(
        session, closure, S.HELD, reason=reason, hold_code=code
    ):
        session.rollback()
        return "lost"
    record(
        session,
        action="closure.held",
        company_id=closure.company_id,
        actor="worker",
        target=f"closure:{closure.id}",
        detail={"holds": [h.code for h in holds], "reason": reason},
    )
    session.commit()
    return "held"


def backoff(attempt: int) -> float:
    """Seconds to wait before attempt+1: base × 2^(attempt-1), capped."""
    base_seconds = jobs.setting("POSTING_BACKOFF_BASE", 2.0)
    max_seconds = jobs.setting("POSTING_BACKOFF_MAX", 300.0)
    return min(base_seconds * 2 ** max(attempt - 1, 0), max_seconds)


def _retry_later(session: Session, closure: Closure, why: dict[str, Any]) -> str:
    """Back to queued with a delay, or failed after the last attempt."""
    session.rollback()
    session.refresh(closure)
    if closure.state != S.POSTING:
        return "lost"
    limit = int(jobs.setting("POSTING_MAX_ATTEMPTS", 6))
    if closure.attempts >= limit:
        failed = reasons.Reason("retries_exhausted", {"attempts": closure.attempts, "error": why})
        reason = reasons.encode([failed])
        moved = state.move(session, closure, S.FAILED, reason=reason, hold_code=failed.code)
        result = "failed"
    else:
        delay = backoff(closure.attempts)
        detail = {"attempt": closure.attempts, "limit": limit, "delay": f"{delay:.0f}"}
        reason = reasons.encode([reasons.Reason("retrying", {**detail, "error": why})])
        moved = state.move(session, closure, S.QUEUED, reason=reason, hold_code="retrying")
        result = "retrying"
    if not moved:
        session.rollback()
        return "lost"
    record(
        session,
        action=f"closure.{result}",
        company_id=closure.company_id,
        actor="worker",
        target=f"closure:{closure.id}",
        detail={"reason": reason, "attempt": closure.attempts, "unknown": closure.outcome_unknown},
    )
    session.commit()
    if result == "retrying":
        jobs.enqueue_post(closure, delay=delay)
    return result
