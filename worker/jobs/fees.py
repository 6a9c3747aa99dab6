"""Payout fee jobs on the sync queue: one payout's fee voucher, in its company's fair turn."""

from __future__ import annotations

from rq import Retry

from app.bank.fees import post_payout_fee
from worker.context import session_scope
from worker.fair import RETRY_MAX, turn


def post_fee(fee_pk: int) -> str | Retry:
    """Post one queued payout fee voucher (safe to run twice: the compare-and-set picks one).

    Its company's budget is claimed first, as a closure's post does: without a free slot the job
    comes back when one frees up (rq's Retry).
    """
    claim = turn()
    with session_scope() as session:
        try:
            outcome = post_payout_fee(session, fee_pk, admit=claim)
        finally:
            claim.close()
    if outcome == "busy":
        return Retry(max=RETRY_MAX, interval=claim.retry_in())
    return outcome
