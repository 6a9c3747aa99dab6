"""Send one voucher to Fortnox at most once: marked in doubt before, searched by key after."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from app.fortnox import api, years
from app.fortnox.errors import AuthLost, NeedsAction, Retryable
from app.posting import checks, reasons
from app.posting.builder import VoucherDraft
from app.posting.dedupe import find_voucher
from app.posting.holds import Hold

log = logging.getLogger(__name__)


class Stop(Exception):
    """Leave the post here: what is posted goes on hold for the given reasons."""

    def __init__(self, holds: list[Hold]) -> None:
        self.holds = holds
        super().__init__("; ".join(h.message for h in holds))


class Lost(Exception):
    """Another job (or the sweeper) took the row over: touch nothing more."""


@dataclasses.dataclass(frozen=True)
class Owner:
    """The row a send is for: whether an earlier send is in doubt, and how to mark and check it."""

    what: str  # for the log, e.g. "closure 7" or "payout fee 3"
    in_doubt: bool  # an earlier send may have booked it: search before sending again
    mark: Callable[[bool], None]  # write the in-doubt flag (the caller's session; not committed)
    check: Callable[[], None]  # raise unless this job still owns the row


def voucher_json(draft: VoucherDraft) -> dict:
    """The body of POST /3/vouchers for a draft (amounts as JSON numbers)."""
    return draft.to_fortnox()


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


def _adopt(client: Any, draft: VoucherDraft, year_id: int, owner: Owner) -> api.VoucherRef | None:
    """The voucher an uncertain earlier send made, found by the draft's key, or None."""
    hits = find_voucher(
        client, series=draft.series, date=draft.transaction_date, key=draft.key, year_id=year_id
    )
    if not hits:
        return None
    found = hits[0]
    log.info("%s: adopting %s %s", owner.what, found["VoucherSeries"], found["VoucherNumber"])
    series, number = str(found["VoucherSeries"]), int(found["VoucherNumber"])
    return api.VoucherRef(series, number, int(found.get("Year") or year_id))


def send_once(
    session: Session, client: Any, company_id: int, draft: VoucherDraft, owner: Owner
) -> api.VoucherRef:
    """Adopt the voucher an uncertain earlier send made, else create it; where Fortnox filed it."""
    lock = years.stored_lock(session, company_id)
    day = years.period(client, draft.transaction_date, stored_lock=lock)
    year_id = _stop_unless_open(dataclasses.replace(day, locked_until=None))
    if owner.in_doubt:
        found = _adopt(client, draft, year_id, owner)
        if found is not None:
            return found
    _stop_unless_open(day)  # a lock stops only what an earlier send did not already book
    owner.check()
    owner.mark(True)
    session.commit()
    try:
        return _create(client, draft, year_id)
    except (NeedsAction, AuthLost, Stop):
        owner.mark(False)  # refused: nothing was booked
        session.commit()
        raise
    except Retryable as err:
        if not getattr(err, "outcome_unknown", True):
            owner.mark(False)
            session.commit()
        raise


def settle(
    run: Callable[[], str],
    *,
    hold: Callable[[list[Hold]], str],
    retry: Callable[[dict[str, Any]], str],
    rollback: Callable[[], None],
    what: str,
) -> str:
    """Run a post; each kind of error becomes a hold, a retry later, or "lost" (another owns it)."""
    try:
        return run()
    except Lost:
        rollback()
        return "lost"
    except Stop as stop:
        return hold(stop.holds)
    except AuthLost:
        return hold([checks.hold("auth_lost")])
    except NeedsAction as err:
        # Kept as Fortnox said it, explained (with the fix) in the reader's language when shown.
        return hold([checks.hold("fortnox_rejected", message=reasons.refusal(err))])
    except Retryable as err:  # kept as data: explained in the reader's language when shown
        return retry(reasons.retryable(err))
    except Exception as err:  # unforeseen: keep the evidence, never lose what is posted
        log.exception("posting %s failed", what)
        rollback()
        return retry(reasons.retryable(err))
