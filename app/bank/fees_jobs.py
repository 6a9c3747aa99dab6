"""Payout fee vouchers noted when a settlement file arrives, queued, swept and re-checked."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlmodel import Session, col, select

from app.audit.service import record
from app.bank.fees_build import Payout, payout_of
from app.bank.fees_models import FeeState, PayoutFee
from app.bank.fees_state import move, restate
from app.bank.models import SettlementFile, SettlementLine
from app.db import utcnow
from app.mapping.schema import PAYMENT_METHODS
from app.posting import jobs
from app.posting.checks import latest_mapping

F = FeeState
FEE_TASK = "worker.jobs.fees.post_fee"


def job_id(fee_pk: int, version: int) -> str:
    """One job per payout fee and queued version: a second enqueue of the same one is refused."""
    return f"fee-{fee_pk}-v{version}"


def enqueue(fee: PayoutFee, delay: float = 0) -> str:
    """Put the post of a queued payout fee on the sync queue, in its company's line."""
    pk = fee.id or 0
    return jobs.enqueue_unique(
        FEE_TASK, job_id(pk, fee.state_version), pk, delay=delay, company=fee.company_id
    )


def enqueue_after_commit(session: Session, fee: PayoutFee) -> None:
    """Enqueue the fee's post once the transaction that queued it commits."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    pk, version, company = fee.id or 0, fee.state_version, fee.company_id

    def run() -> None:
        with app.app_context():
            jobs.enqueue_unique(FEE_TASK, job_id(pk, version), pk, company=company)

    jobs.after_commit(session, run)


def payout_lines(session: Session, company_id: int, reference: str) -> list[SettlementLine]:
    """The settlement lines of one payout, in file order."""
    query = select(SettlementLine).where(
        SettlementLine.company_id == company_id, SettlementLine.payout_reference == reference
    )
    return list(session.exec(query.order_by(col(SettlementLine.id))).all())


def methods(session: Session, company_id: int) -> list[str]:
    """The payment method codes the company's mapping knows (the standard ones without one)."""
    mapping = latest_mapping(session, company_id)
    own = (mapping.data.get("payment_methods") or {}) if mapping else {}
    return list(dict.fromkeys([*PAYMENT_METHODS, *own]))


def current_payout(session: Session, fee: PayoutFee) -> Payout | None:
    """The fee's payout as all its settlement lines give it now (None: no payout date known)."""
    lines = payout_lines(session, fee.company_id, fee.payout_reference)
    return payout_of(fee.payout_reference, fee.acquirer, lines, methods(session, fee.company_id))


def note_payouts(session: Session, company_id: int, *, kind: str, file_id: int) -> int:
    """After a settlement import: each payout it touches has its fee voucher noted or brought up
    to date; how many were made or changed.

    A payout gets its voucher once a file says when it is paid (its payout row or date), as all
    the company's lines of its reference give it, whichever file brought them. Until it posts,
    later lines change its fees and date; once posted it is never posted again: a change after
    that is shown on the fee list as a finding (fee_changes).
    """
    if kind != "settlement":
        return 0
    file = session.get(SettlementFile, file_id)
    if file is None:
        return 0
    refs = session.exec(
        select(SettlementLine.payout_reference)
        .where(SettlementLine.file_id == file_id, SettlementLine.payout_reference != "")
        .distinct()
    ).all()
    groups = _lines_of(session, company_id, set(refs))
    known = {
        fee.payout_reference: fee
        for fee in session.exec(
            select(PayoutFee).where(
                PayoutFee.company_id == company_id,
                col(PayoutFee.payout_reference).in_(sorted(groups)),
            )
        ).all()
    }
    codes, made = methods(session, company_id), 0
    for reference, lines in sorted(groups.items()):
        fee = known.get(reference)
        payout = payout_of(reference, fee.acquirer if fee else file.profile, lines, codes)
        if payout is None:
            continue  # the acquirer has not paid it out yet: a later file's payout row will say
        if fee is None:
            _note(session, company_id, file, payout)
            made += 1
        elif _bring_up_to_date(session, fee, payout):
            made += 1
        else:
            _note_change_after_post(session, fee, payout, file, lines, codes)
    return made


def _note_change_after_post(
    session: Session,
    fee: PayoutFee,
    payout: Payout,
    file: SettlementFile,
    lines: list[SettlementLine],
    codes: list[str],
) -> None:
    """A posted fee voucher whose payout this file changed: the finding goes on the audit trail.

    The fee list shows it as a warning to book by hand; it is recorded once, by the file that
    changed the fees (a later file that changes nothing records nothing).
    """
    if fee.state != F.POSTED or fee.voucher_number is None or payout.total == fee.amount:
        return
    earlier = [ln for ln in lines if ln.file_id != file.id]
    before = payout_of(fee.payout_reference, fee.acquirer, earlier, codes) if earlier else None
    if before is not None and before.total == payout.total:
        return  # this file did not change the fees: its finding was recorded before
    record(
        session,
        action="bank.fee_changed_after_post",
        company_id=fee.company_id,
        actor="worker",
        target=f"payout:{fee.payout_reference}",
        detail={
            "posted": f"{fee.amount:.2f}",
            "now": f"{payout.total:.2f}",
            "file": file.filename,
            "file_id": file.id,
            "voucher": [fee.voucher_series, fee.voucher_number, fee.voucher_year],
        },
    )


def _lines_of(session: Session, company_id: int, refs: set[str]) -> dict[str, list[SettlementLine]]:
    """All the company's settlement lines of these payout references, in file order."""
    groups: dict[str, list[SettlementLine]] = defaultdict(list)
    query = select(SettlementLine).where(
        SettlementLine.company_id == company_id,
        col(SettlementLine.payout_reference).in_(sorted(refs)),
    )
    for line in session.exec(query.order_by(col(SettlementLine.id))).all():
        groups[line.payout_reference].append(line)
    return groups


def _note(session: Session, company_id: int, file: SettlementFile, payout: Payout) -> None:
    """A new payout's fee voucher: queued, or nothing to post when its fees are 0,00."""
    state = F.QUEUED if payout.total else F.NOTHING
    fee = PayoutFee(
        company_id=company_id,
        file_id=file.id,
        payout_reference=payout.reference,
        acquirer=file.profile,
        payout_date=payout.day,
        amount=payout.total,
        state=state,
    )
    session.add(fee)
    session.flush()
    if state == F.QUEUED:
        enqueue_after_commit(session, fee)


def _bring_up_to_date(session: Session, fee: PayoutFee, payout: Payout) -> bool:
    """A fee voucher not yet posted takes the payout's fees and date as they are now."""
    if fee.voucher_number is not None or fee.state in (F.POSTING, F.POSTED):
        return False  # in Fortnox (or being sent): a change is a finding, never a second voucher
    if (fee.amount, fee.payout_date) == (payout.total, payout.day):
        return False
    if not restate(session, fee, payout.total, payout.day):
        return False
    if fee.state == F.NOTHING and payout.total and move(session, fee, F.QUEUED):
        enqueue_after_commit(session, fee)
    return True


def fee_changes(session: Session, fees: list[PayoutFee]) -> dict[int, Decimal]:
    """Posted fee vouchers whose payout's lines now add up to other fees: id -> the fees now."""
    posted = [f for f in fees if f.state == F.POSTED and f.voucher_number is not None]
    if not posted:
        return {}
    out: dict[int, Decimal] = {}
    for company_id in {f.company_id for f in posted}:
        mine = [f for f in posted if f.company_id == company_id]
        groups = _lines_of(session, company_id, {f.payout_reference for f in mine})
        codes = methods(session, company_id)
        for fee in mine:
            now = payout_of(fee.payout_reference, fee.acquirer, groups[fee.payout_reference], codes)
            total = now.total if now else Decimal("0.00")
            if total != fee.amount:
                out[fee.id or 0] = total
    return out


def requeue_held(session: Session, company_id: int, *, codes: set[str] | None = None) -> int:
    """Held (for codes, when given) payout fees of a company are tried again: the books changed."""
    query = select(PayoutFee).where(PayoutFee.company_id == company_id, PayoutFee.state == F.HELD)
    if codes is not None:
        query = query.where(col(PayoutFee.hold_code).in_(sorted(codes)))
    moved = 0
    for fee in session.exec(query).all():
        if move(session, fee, F.QUEUED, reason="", hold_code=""):
            enqueue_after_commit(session, fee)
            moved += 1
    return moved


def retry(session: Session, fee: PayoutFee, user: Any) -> bool:
    """A person's retry of a failed or held payout fee: queued again (the caller commits)."""
    if fee.state not in (F.FAILED, F.HELD) or not move(session, fee, F.QUEUED):
        return False
    record(
        session,
        action="bank.fee_voucher_retried",
        company_id=fee.company_id,
        user=user,
        target=f"payout:{fee.payout_reference}",
        detail={"amount": f"{fee.amount:.2f}"},
    )
    enqueue_after_commit(session, fee)
    return True


def sweep(session: Session) -> dict[str, Any]:
    """Enqueue queued payout fees whose job is gone; take back posts a dead worker left."""
    now = utcnow()
    grace = timedelta(seconds=jobs.setting("SWEEP_GRACE_SECONDS", 30))
    stuck = timedelta(minutes=jobs.setting("POSTING_STUCK_MINUTES", 10))
    counts = {"fees_requeued": 0, "fees_recovered": 0}
    for fee in _in_state(session, F.QUEUED):
        if now - fee.state_changed_at < grace or jobs.job_is_live(
            job_id(fee.id or 0, fee.state_version)
        ):
            continue
        enqueue(fee)
        counts["fees_requeued"] += 1
    for fee in _in_state(session, F.POSTING):
        # The job that moved it to posting was enqueued for the version before.
        if now - fee.state_changed_at < stuck or jobs.job_is_live(
            job_id(fee.id or 0, fee.state_version - 1)
        ):
            continue
        why = "The worker stopped mid-post; Fortnox is searched before posting again."
        if move(session, fee, F.QUEUED, reason=why, hold_code="recovered", outcome_unknown=True):
            session.commit()
            enqueue(fee)
            counts["fees_recovered"] += 1
        else:
            session.rollback()
    return {k: v for k, v in counts.items() if v}  # named only when they happened


def _in_state(session: Session, wanted: str) -> list[PayoutFee]:
    """Payout fees in wanted state as the database has them now."""
    query = select(PayoutFee).where(PayoutFee.state == wanted)
    return list(session.exec(query.execution_options(populate_existing=True)).all())
