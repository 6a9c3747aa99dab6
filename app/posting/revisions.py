"""Revisions of one Z-report: the newest takes over, and a posted one must first be reversed."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlmodel import Session, select

from app.audit.service import record
from app.closures.models import Closure, ClosureState
from app.companies.models import Company
from app.posting import checks, jobs, state, undo
from app.posting.holds import Hold
from app.posting.reasons import Reason, encode

S = ClosureState
# States an older revision can be superseded from without anything to undo in Fortnox.
_BEFORE_POSTING = (S.RECEIVED, S.HELD, S.AWAITING_APPROVAL, S.QUEUED, S.FAILED)


def correct_job_id(old_pk: int) -> str:
    """One correction job per superseded closure at a time."""
    return f"correct-{old_pk}"


def enqueue_correction(old_pk: int, acknowledged: bool = False) -> str:
    """Put the correction of a superseded closure on the sync queue (a person's click: ack'd)."""
    args = (old_pk, True) if acknowledged else (old_pk,)
    return jobs.enqueue_unique(jobs.CORRECT_TASK, correct_job_id(old_pk), *args)


def enqueue_correction_after_commit(
    session: Session, old_pk: int, *, acknowledged: bool = False
) -> None:
    """Enqueue the correction once the transaction that asked for it commits."""
    flask_app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        with flask_app.app_context():
            enqueue_correction(old_pk, acknowledged)

    jobs.after_commit(session, run)


def older_revisions(session: Session, closure: Closure) -> list[Closure]:
    """Earlier revisions of the same Z-report, oldest first."""
    return list(
        session.exec(
            select(Closure)
            .where(
                Closure.company_id == closure.company_id,
                Closure.closure_id == closure.closure_id,
                Closure.revision < closure.revision,
            )
            .order_by(Closure.revision)  # type: ignore[arg-type]
        ).all()
    )


def supersede_older(session: Session, new: Closure, older: list[Closure] | None = None) -> None:
    """Mark every earlier revision not being posted right now as superseded by new.

    older: the earlier revisions, oldest first, when the caller has just read them.
    """
    for old in older_revisions(session, new) if older is None else older:
        if old.state in (*_BEFORE_POSTING, S.POSTED):
            booked = old.state == S.POSTED or old.voucher_number is not None
            code = "superseded_after_posting" if booked else "superseded_before_posting"
            why = encode([Reason(code, {"new": str(new.revision)})])
            state.move(session, old, S.SUPERSEDED, reason=why, superseded_by_id=new.id)
        elif old.state == S.SUPERSEDED and old.superseded_by_id != new.id:
            old.superseded_by_id = new.id  # a third revision takes over the pending correction
            session.add(old)


def newer_revision_hold(session: Session, closure: Closure, company: Company) -> Hold | None:
    """What an earlier revision still demands before this one may post, if anything."""
    for old in older_revisions(session, closure):
        if old.state in (S.QUEUED, S.POSTING):
            return checks.hold("previous_revision_posting", old=old.revision)
        if undo.correction_due(session, old):
            if company.auto_correct:
                enqueue_correction_after_commit(session, old.id or 0)
            return undo.due_hold(session, old)
    return None


def request_correction(session: Session, *, closure_pk: int, user: Any) -> str:
    """One click on a revision held for a correction (or on the old one): enqueue the job."""
    closure = session.get(Closure, closure_pk)
    if closure is None:
        raise LookupError(closure_pk)
    olds = [closure] if closure.superseded_by_id else older_revisions(session, closure)
    due = [o for o in olds if undo.correction_due(session, o)]
    if not due:
        return "nothing_due"
    old = due[-1]
    record(
        session,
        action="closure.correction_requested",
        company_id=closure.company_id,
        user=user,
        target=f"closure:{old.id}",
        detail={"voucher": old.voucher_number},
    )
    enqueue_correction_after_commit(session, old.id or 0, acknowledged=True)
    return "requested"
