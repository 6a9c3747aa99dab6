"""The database, not the queue, is the source of truth: re-enqueue what Redis lost."""

from __future__ import annotations

from datetime import timedelta

from rq.registry import StartedJobRegistry
from sqlmodel import Session, select

from app.bank import fees_jobs
from app.closures.models import Closure, ClosureState
from app.companies.models import Company
from app.db import utcnow
from app.posting import aftercheck, jobs, state
from app.posting.revisions import enqueue_correction
from app.queue import get_queue, get_redis
from worker import fair

S = ClosureState


def sweep(session: Session) -> dict:
    """Enqueue queued closures whose job is gone, failed or overdue; take back dead posts."""
    StartedJobRegistry(queue=get_queue("sync")).cleanup()  # dead workers' jobs become failed
    now = utcnow()
    grace = timedelta(seconds=jobs.setting("SWEEP_GRACE_SECONDS", 30))
    stuck = timedelta(minutes=jobs.setting("POSTING_STUCK_MINUTES", 10))
    counts = {"requeued": 0, "recovered": 0, "corrections": 0}
    put_back = fair.repair(get_redis(), grace.total_seconds())  # popped, never begun
    for closure in _in_state(session, S.QUEUED):
        job_id = jobs.post_job_id(closure.id or 0, closure.state_version)
        if now - closure.state_changed_at < grace or jobs.job_is_live(job_id):
            continue
        jobs.enqueue_post(closure)
        counts["requeued"] += 1
    for closure in _in_state(session, S.POSTING):
        # The job that moved it to posting was enqueued for the version before.
        job_id = jobs.post_job_id(closure.id or 0, closure.state_version - 1)
        if now - closure.state_changed_at < stuck or jobs.job_is_live(job_id):
            continue
        why = "The worker stopped mid-post; Fortnox is searched before posting again."
        if state.move(
            session, closure, S.QUEUED, reason=why, hold_code="recovered", outcome_unknown=True
        ):
            session.commit()
            jobs.enqueue_post(closure)
            counts["recovered"] += 1
        else:
            session.rollback()
    checks = 0  # days whose after-post check a dead or failed job left undone
    for company_id, day in aftercheck.left_behind(get_redis()):
        if not jobs.job_is_live(aftercheck.job_id(company_id, day)):
            aftercheck.enqueue(company_id, day)
            checks += 1
    for closure in _due_corrections(session):
        for old_pk in _olds(session, closure):
            enqueue_correction(old_pk)
            counts["corrections"] += 1
    # Named only when they happened: readers of the three counts above stay as they were.
    counts.update({k: v for k, v in (("put_back", put_back), ("checks", checks)) if v})
    counts.update(fees_jobs.sweep(session))  # payout fee vouchers (fees_requeued, fees_recovered)
    return counts


def _in_state(session: Session, wanted: str) -> list[Closure]:
    """Closures in wanted state as the database has them now, not as this session last saw them."""
    query = select(Closure).where(Closure.state == wanted)
    return list(session.exec(query.execution_options(populate_existing=True)).all())


def _due_corrections(session: Session) -> list[Closure]:
    """Held revisions waiting for an automatic correction that was not done."""
    return list(
        session.exec(
            select(Closure)
            .join(Company, Company.id == Closure.company_id)  # type: ignore[arg-type]
            .where(
                Closure.state == S.HELD,
                Closure.hold_code == "correction_due",
                Company.auto_correct.is_(True),  # type: ignore[attr-defined]
            )
        ).all()
    )


def _olds(session: Session, closure: Closure) -> list[int]:
    return [
        c.id or 0
        for c in session.exec(
            select(Closure).where(
                Closure.superseded_by_id == closure.id,
                Closure.voucher_number.is_not(None),  # type: ignore[union-attr]
                Closure.reversal_number.is_(None),  # type: ignore[union-attr]
            )
        ).all()
    ]
