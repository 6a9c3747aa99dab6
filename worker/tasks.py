"""Thin job functions: take ids, open an app context and a session, call an app service."""

from __future__ import annotations

from datetime import date

from rq import Retry
from sqlmodel import select

from app.attachments.jobs import sweep as sweep_attachments
from app.companies.models import Company
from app.posting.corrections import run_correction
from app.posting.engine import post_closure as post
from app.queue import get_queue, get_redis
from app.reconcile.noted import check_noted as check_day
from worker.context import session_scope
from worker.fair import RETRY_MAX, turn
from worker.jobs.fortnox import nightly_preflight
from worker.jobs.reconcile import reconcile_company
from worker.jobs.reports import nightly_prune
from worker.schedule import schedule_digest, schedule_next_tick, schedule_nightly
from worker.sweeper import sweep as sweep_posts


def post_closure(closure_pk: int) -> str | Retry:
    """Post one queued closure (safe to run twice: the state's compare-and-set picks one).

    Its company's budget is claimed first (worker/fair.py): without a free slot the job comes
    back when one frees up (rq's Retry), and the worker goes on to another company's job.
    """
    claim = turn()
    with session_scope() as session:
        try:
            outcome = post(session, closure_pk, admit=claim)
        finally:
            claim.close()
    if outcome == "busy":
        return Retry(max=RETRY_MAX, interval=claim.retry_in())
    return outcome


def check_posted(company_id: int, day: str) -> int | Retry:
    """Check the store-days of a company's day that posts noted (app/posting/aftercheck.py).

    It waits in the company's line behind its posts, so it comes once they are done; a read
    it makes spends the slot its turn reserved.
    """
    claim = turn()
    with session_scope() as session:
        try:
            if claim(company_id) > 0:
                return Retry(max=RETRY_MAX, interval=claim.retry_in())
            return check_day(session, company_id, date.fromisoformat(day))
        finally:
            claim.close()


def correct_closure(closure_pk: int, acknowledged: bool = False) -> str:
    """Undo a superseded closure's voucher and documents, then queue its newer revision."""
    with session_scope() as session:
        lock = get_redis().lock(f"kassabok:correct:{closure_pk}", timeout=600)
        if not lock.acquire(blocking=False):
            return "busy"
        try:
            return run_correction(session, closure_pk, acknowledged=acknowledged)
        finally:
            lock.release()


def sweep() -> dict:
    """Re-enqueue closures the queue lost or a dead worker left posting (and their Z-reports)."""
    with session_scope() as session:
        return {**sweep_posts(session), "attachments": sweep_attachments(session)}


def tick() -> dict:
    """Every minute: sweep, start tonight's checks and the morning's digest once, tick again."""
    result = sweep()
    with session_scope():
        schedule_nightly()
        schedule_digest()
        schedule_next_tick()
    return result


def nightly_all() -> int:
    """Enqueue the nightly checks of every company."""
    with session_scope() as session:
        ids = session.exec(select(Company.id)).all()
        for company_id in ids:
            get_queue("reconcile").enqueue("worker.tasks.nightly", company_id)
        return len(ids)


def nightly(company_id: int) -> dict:
    """Re-run pre-flight and reconciliation for one company and prune its old report PDFs."""
    return {
        "nightly_preflight": nightly_preflight(company_id),
        "nightly_reconcile": reconcile_company(company_id),
        "nightly_prune": nightly_prune(company_id),
    }
