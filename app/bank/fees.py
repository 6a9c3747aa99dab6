"""The payout fee job: one owner per payout fee, posted with the closures' send-once machinery."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from typing import Any

from sqlmodel import Session

from app.audit.service import record
from app.bank.fees_build import build_fee_voucher
from app.bank.fees_jobs import current_payout, enqueue
from app.bank.fees_models import FeeState, PayoutFee
from app.bank.fees_state import move, record_voucher, restate, set_unknown, still_owner
from app.companies.models import Company
from app.db import utcnow
from app.fortnox import api, preflight
from app.posting import checks, jobs, reasons
from app.posting.builder import VoucherDraft
from app.posting.engine import backoff
from app.posting.holds import Hold, HoldError
from app.posting.sendonce import Lost, Owner, Stop, send_once, settle
from app.posting.vouchers import remember

F = FeeState


def post_payout_fee(
    session: Session, fee_pk: int, admit: Callable[[int], float] | None = None
) -> str:
    """Post one queued payout fee voucher; the word returned says how it ended.

    admit(company_id), when given, claims the company's rate budget first: a wait above zero
    leaves the fee queued and returns "busy" (the worker yields rather than sleep).
    """
    fee = session.get(PayoutFee, fee_pk)
    if fee is None or fee.state != F.QUEUED:
        return "skipped"
    if admit is not None and admit(fee.company_id) > 0:
        session.rollback()
        return "busy"
    if not move(session, fee, F.POSTING, attempts=fee.attempts + 1):
        session.rollback()
        return "lost"
    session.commit()
    return settle(
        lambda: _post(session, fee),
        hold=lambda holds: _hold(session, fee, holds),
        retry=lambda why: _retry_later(session, fee, why),
        rollback=session.rollback,
        what=f"payout fee {fee.id}",
    )


def draft_for(session: Session, fee: PayoutFee) -> VoucherDraft:
    """The fee voucher as the payout's lines and today's mapping make it, or Stop with holds."""
    company = session.get(Company, fee.company_id)
    mapping = checks.latest_mapping(session, fee.company_id)
    if company is None or mapping is None:
        raise Stop([checks.hold("no_mapping")])
    payout = current_payout(session, fee)
    if payout is None:  # the payout's lines are gone (the file was removed): nothing to book
        return VoucherDraft(company.voucher_series, fee.payout_date.isoformat(), "", "", ())
    if (payout.total, payout.day) != (fee.amount, fee.payout_date):
        restate(session, fee, payout.total, payout.day)  # the row says what the voucher books
    try:
        return build_fee_voucher(payout, mapping.data, company.voucher_series)
    except HoldError as err:
        raise Stop(err.holds) from None


def _post(session: Session, fee: PayoutFee) -> str:
    """Check, then send the voucher unless Fortnox has it (searched first when in doubt)."""
    draft = draft_for(session, fee)
    if draft.is_empty and fee.voucher_number is None:
        return _finish(session, fee, F.NOTHING)
    red = preflight.blocking(session, fee.company_id, store="", day=fee.payout_date)
    if red:  # the red lines as data: their titles are written in the reader's language
        raise Stop([checks.hold(code, **detail) for code, detail in preflight.holds(red)])
    if fee.voucher_number is None:
        with closing(api.client_for(session, fee.company_id)) as client:
            made = send_once(session, client, fee.company_id, draft, _owner(session, fee))
        record_voucher(session, fee, (made.series, made.number, made.year))
        remember(session, fee.company_id, made)
        answer = [made.series, made.number, made.year]
        _audit(session, fee, "bank.fee_voucher_posted", {"key": draft.key, "answer": answer})
        session.commit()
    return _finish(session, fee, F.POSTED)


def _owner(session: Session, fee: PayoutFee) -> Owner:
    """The fee as send_once sees it: in doubt or not, marked and checked in this session."""

    def check() -> None:
        if not still_owner(session, fee):
            raise Lost()

    return Owner(
        what=f"payout fee {fee.id}",
        in_doubt=fee.outcome_unknown,
        mark=lambda unknown: set_unknown(session, fee, unknown),
        check=check,
    )


def _audit(session: Session, fee: PayoutFee, action: str, detail: dict[str, Any]) -> None:
    """Every fee voucher's post, hold and failure goes on the audit trail."""
    record(
        session,
        action=action,
        company_id=fee.company_id,
        actor="worker",
        target=f"payout:{fee.payout_reference}",
        detail={"amount": f"{fee.amount:.2f}", "attempt": fee.attempts, **detail},
    )


def _finish(session: Session, fee: PayoutFee, new: str) -> str:
    """Move to posted (or nothing to book) once Fortnox has what there is to book."""
    if not still_owner(session, fee):
        raise Lost()
    if not move(session, fee, new, posted_at=utcnow()):
        session.rollback()
        return "lost"
    session.commit()
    return "posted" if new == F.POSTED else "nothing"


def _hold(session: Session, fee: PayoutFee, holds: list[Hold]) -> str:
    """Put the fee on hold with every reason and its fix."""
    session.rollback()
    session.refresh(fee)
    reason, code = checks.summary(holds)
    if fee.state != F.POSTING or not move(session, fee, F.HELD, reason=reason, hold_code=code):
        session.rollback()
        return "lost"
    _audit(session, fee, "bank.fee_voucher_held", {"holds": [h.code for h in holds]})
    session.commit()
    return "held"


def _retry_later(session: Session, fee: PayoutFee, why: dict[str, Any]) -> str:
    """Back to queued with a delay, or failed after the last attempt."""
    session.rollback()
    session.refresh(fee)
    if fee.state != F.POSTING:
        return "lost"
    limit = int(jobs.setting("POSTING_MAX_ATTEMPTS", 6))
    if fee.attempts >= limit:
        failed = reasons.Reason("retries_exhausted", {"attempts": fee.attempts, "error": why})
        new, delay, result = F.FAILED, 0.0, "failed"
        moved = move(session, fee, new, reason=reasons.encode([failed]), hold_code=failed.code)
    else:
        delay = backoff(fee.attempts)
        detail = {"attempt": fee.attempts, "limit": limit, "delay": f"{delay:.0f}"}
        reason = reasons.encode([reasons.Reason("retrying", {**detail, "error": why})])
        new, result = F.QUEUED, "retrying"
        moved = move(session, fee, new, reason=reason, hold_code="retrying")
    if not moved:
        session.rollback()
        return "lost"
    _audit(session, fee, f"bank.fee_voucher_{result}", {"unknown": fee.outcome_unknown})
    session.commit()
    if result == "retrying":
        enqueue(fee, delay=delay)
    return result
