"""Send one voucher to Fortnox at most once: search by key when an earlier send is in doubt."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from sqlmodel import Session

from app.closures.models import Closure
from app.fortnox import api, years
from app.fortnox.errors import AuthLost, NeedsAction, Retryable
from app.posting import checks, state
from app.posting.builder import VoucherDraft
from app.posting.dedupe import find_voucher
from app.posting.holds import Hold

log = logging.getLogger(__name__)


class Stop(Exception):
    """Leave the post here: the closure goes on hold for the given reasons."""

    def __init__(self, holds: list[Hold]) -> None:
        self.holds = holds
        super().__init__("; ".join(h.message for h in holds))


class Lost(Exception):
    """Another job (or the sweeper) took the closure over: touch nothing more."""


def voucher_json(draft: VoucherDraft) -> dict:
    """The body of POST /3/vouchers for a draft (amounts as JSON numbers)."""
    return draft.to_fortnox()


def financial_year(client: Any, day: str) -> int | None:
    """The financial year id for day, from the company's cached years (refetched on a miss)."""
    return years.year_id(client, day)


def _stop_unless_open(found: years.Period) -> int:
    """The year to post into, or Stop when Fortnox's registers say the day takes no voucher."""
    if found.year_id is None:
        raise Stop([checks.hold("no_financial_year", date=found.day)])
    if found.locked_until is not None:
        raise Stop([checks.hold("locked_period", date=found.day, end=found.locked_until)])
    return found.year_id


def _create(client: Any, draft: VoucherDraft, year_id: int) -> api.VoucherRef:
    """POST the voucher; after a refusal the registers, read anew, decide (never the code)."""
    try:
        return api.create_voucher(client, voucher_json(draft), year_id)
    except NeedsAction as err:
        # Refused, so nothing was booked: safe to send again into the year Fortnox now lists.
        fresh = _stop_unless_open(years.recheck(client, draft.transaction_date, year_id))
        if fresh == year_id:
            raise err from None  # not the year nor the lock: Fortnox's own words stand
        return api.create_voucher(client, voucher_json(draft), fresh)


def send_voucher(
    session: Session, client: Any, closure: Closure, draft: VoucherDraft
) -> api.VoucherRef:
    """Adopt the voucher an uncertain earlier send made, else create it; where Fortnox filed it."""
    lock = years.stored_lock(session, closure.company_id)
    day = years.period(client, draft.transaction_date, stored_lock=lock)
    year_id = _stop_unless_open(dataclasses.replace(day, locked_until=None))
    if closure.outcome_unknown:
        hits = find_voucher(
            client,
            series=draft.series,
            date=draft.transaction_date,
            key=draft.key,
            year_id=year_id,
        )
        if hits:
            found = hits[0]
            log.info(
                "closure %s: adopting %s %s",
                closure.id,
                found.get("VoucherSeries"),
                found.get("VoucherNumber"),
            )
            return api.VoucherRef(
                str(found["VoucherSeries"]),
                int(found["VoucherNumber"]),
                int(found.get("Year") or year_id),
            )
    _stop_unless_open(day)  # a lock stops only what an earlier send did not already book
    ensure_owner(session, closure)
    state.set_unknown(session, closure, True)
    session.commit()
    try:
        return _create(client, draft, year_id)
    except (NeedsAction, AuthLost, Stop):
        state.set_unknown(session, closure, False)  # refused: nothing was booked
        session.commit()
        raise
    except Retryable as err:
        if not getattr(err, "outcome_unknown", True):
            state.set_unknown(session, closure, False)
            session.commit()
        raise


def remember(session: Session, company_id: int, ref: api.VoucherRef) -> None:
    """Keep Fortnox's answer (the voucher with its rows) in the read cache: no read-back needed."""
    if not ref.voucher.get("VoucherRows") or not ref.voucher.get("TransactionDate"):
        return
    from app.reconcile.cache import keep_rows, store_voucher

    row = store_voucher(session, company_id, ref.voucher, ref.year)
    if not row.rows_fetched:
        keep_rows(session, row, ref.voucher)


def ensure_owner(session: Session, closure: Closure) -> None:
    """Raise Lost unless this job still owns the closure (checked right before each send)."""
    if not state.still_owner(session, closure):
        raise Lost()
