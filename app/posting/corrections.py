"""The correction of a posted closure: reverse its voucher (searching first), then post anew."""

from __future__ import annotations

import logging
from contextlib import closing
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.audit.service import record
from app.closures.models import Closure, ClosureState
from app.fortnox import api
from app.fortnox.errors import AuthLost, NeedsAction
from app.posting import checks, state, undo
from app.posting.builder import Row, VoucherDraft, closure_key
from app.posting.dedupe import find_voucher
from app.posting.reasons import Reason, decode, encode, refusal
from app.posting.service import admit
from app.posting.vouchers import voucher_json

log = logging.getLogger(__name__)
S = ClosureState
CENT = Decimal("0.01")


def reversal_draft(old: Closure, original: dict) -> VoucherDraft:
    """The old voucher's rows with debit and credit swapped, under the reversal key."""
    key = f"{closure_key(old.payload)}-REV"
    rows = tuple(
        Row(
            account=str(r["Account"]),
            cost_center=r.get("CostCenter") or "",
            debit=Decimal(str(r.get("Credit") or 0)).quantize(CENT),
            credit=Decimal(str(r.get("Debit") or 0)).quantize(CENT),
            label="Reversal",
        )
        for r in original.get("VoucherRows", [])
        if not r.get("Removed")
    )
    human = f"Z{old.z_number} {old.store_code} {old.business_date.isoformat()}"
    return VoucherDraft(
        series=old.voucher_series or "A",
        transaction_date=str(original.get("TransactionDate") or old.business_date.isoformat()),
        description=f"Rättelse/Reversal {human} [{key}]",
        key=key,
        rows=rows,
    )


def _reverse(client: Any, old: Closure) -> tuple[tuple[str, int, int], VoucherDraft, bool]:
    """Find or post the reversal of old's voucher: (series, number, year), draft, adopted."""
    original = api.get_voucher(client, old.voucher_series, old.voucher_number, old.voucher_year)
    draft = reversal_draft(old, original.get("Voucher", original))
    # Always search: a correction is rare and its earlier outcome is never assumed.
    hits = find_voucher(
        client,
        series=draft.series,
        date=draft.transaction_date,
        key=draft.key,
        year_id=old.voucher_year,
    )
    if hits:
        year = int(hits[0].get("Year") or old.voucher_year or 0)
        return (str(hits[0]["VoucherSeries"]), int(hits[0]["VoucherNumber"]), year), draft, True
    made = api.create_voucher(client, voucher_json(draft), old.voucher_year)
    return (made.series, int(made.number), int(made.year)), draft, False


def run_correction(session: Session, old_pk: int, *, acknowledged: bool = False) -> str:
    """Reverse the superseded voucher (searching first) and cancel its documents, then move on.

    acknowledged: a person clicked Correct, so documents already shown as booked are theirs now.
    """
    old = session.get(Closure, old_pk)
    if old is None or not undo.correction_due(session, old):
        return "nothing_due"
    try:
        with closing(api.client_for(session, old.company_id)) as client:
            if old.voucher_number is not None and old.reversal_number is None:
                _record_reversal(session, old, *_reverse(client, old))
            stuck = undo.undo_documents(session, client, old, acknowledged=acknowledged)
    except (NeedsAction, AuthLost) as err:
        session.rollback()
        _note_on_newer(session, old, refusal(err) if isinstance(err, NeedsAction) else str(err))
        session.commit()
        return "held"
    newer = session.get(Closure, old.superseded_by_id) if old.superseded_by_id else None
    if stuck:
        if newer is not None and newer.state == S.HELD:
            reason, code = checks.summary([undo.stuck_hold(old, stuck)])
            state.move(session, newer, S.HELD, reason=reason, hold_code=code)
        session.commit()
        return "held"
    if newer is not None and newer.state == S.HELD:
        admit(session, newer)  # still waits for approval when the company wants one
    session.commit()
    return "corrected"


def _record_reversal(
    session: Session, old: Closure, ref: tuple[str, int, int], draft: VoucherDraft, adopted: bool
) -> None:
    """Write the reversal on the old revision and the audit trail, committed at once."""
    state.record_voucher(session, old, ref, reversal=True)
    record(
        session,
        action="closure.reversal_posted",
        company_id=old.company_id,
        actor="worker",
        target=f"closure:{old.id}",
        detail={"key": draft.key, "answer": ref, "adopted": adopted},
    )
    session.commit()


def _note_on_newer(session: Session, old: Closure, message: str | dict) -> None:
    """Show why the correction could not be posted on the revision waiting for it."""
    newer = session.get(Closure, old.superseded_by_id) if old.superseded_by_id else None
    if newer is not None and newer.state == S.HELD:
        failed = Reason("correction_failed", {"message": message})
        kept = [r for r in decode(newer.state_reason) if r.code != failed.code]
        reason = encode([*kept, failed])
        state.move(session, newer, S.HELD, reason=reason, hold_code="correction_due")
