"""The one module that moves a payout's fee voucher between states, each move a compare-and-set."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from app.bank.fees_models import FeeState, PayoutFee
from app.db import utcnow

F = FeeState
ALLOWED: dict[str, frozenset[str]] = {
    F.QUEUED: frozenset({F.POSTING, F.HELD, F.NOTHING}),
    F.POSTING: frozenset({F.POSTED, F.FAILED, F.HELD, F.QUEUED, F.NOTHING}),
    F.HELD: frozenset({F.QUEUED}),
    F.FAILED: frozenset({F.QUEUED}),
    F.POSTED: frozenset(),
    F.NOTHING: frozenset({F.QUEUED}),  # a later file gave the payout fees: nothing was posted
}
_FIELDS = {"attempts", "outcome_unknown", "posted_at"}


class IllegalTransition(Exception):
    """A caller asked for a move the fee voucher's states do not have."""


def _table() -> sa.Table:
    return PayoutFee.__table__  # type: ignore[attr-defined,return-value]


def _update(session: Session, fee: PayoutFee, where: list[Any], values: dict[str, Any]) -> bool:
    """UPDATE the row where the conditions hold; on success give fee the values as loaded."""
    table = _table()
    result = session.execute(
        sa.update(table).where(table.c.id == fee.id, *where).values(**values),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        return False
    for key, value in values.items():
        set_committed_value(fee, key, value)
    return True


def move(
    session: Session,
    fee: PayoutFee,
    new: str,
    *,
    reason: str = "",
    hold_code: str = "",
    **fields: Any,
) -> bool:
    """Move fee from the state and version it was read with to new; False if it lost a race."""
    if new not in ALLOWED[fee.state]:
        raise IllegalTransition(f"payout fee {fee.id}: {fee.state} → {new}")
    if set(fields) - _FIELDS:
        raise TypeError(f"not a transition field: {sorted(set(fields) - _FIELDS)}")
    values = {
        "state": str(new),
        "state_reason": reason[:2000],
        "hold_code": hold_code,
        "state_changed_at": utcnow(),
        "state_version": fee.state_version + 1,
        **fields,
    }
    table = _table()
    where = [table.c.state == str(fee.state), table.c.state_version == fee.state_version]
    if _update(session, fee, where, values):
        return True
    session.refresh(fee)
    return False


def restate(session: Session, fee: PayoutFee, amount: Decimal, day: date) -> bool:
    """The fees and payout date the payout's lines give now, unless the fee moved meanwhile."""
    table = _table()
    where = [table.c.state == str(fee.state), table.c.state_version == fee.state_version]
    if _update(session, fee, where, {"amount": amount, "payout_date": day}):
        return True
    session.refresh(fee)
    return False


def record_voucher(session: Session, fee: PayoutFee, ref: tuple[str, int, int]) -> bool:
    """Write the voucher Fortnox gave, unless one is recorded already."""
    series, number, year = ref
    values = {
        "voucher_series": series,
        "voucher_number": number,
        "voucher_year": year,
        "outcome_unknown": False,
    }
    if _update(session, fee, [_table().c.voucher_number.is_(None)], values):
        return True
    session.refresh(fee)
    return False


def set_unknown(session: Session, fee: PayoutFee, unknown: bool) -> None:
    """Mark that a send to Fortnox is in flight (or settled), so a crash leaves a trace."""
    _update(session, fee, [], {"outcome_unknown": unknown})


def still_owner(session: Session, fee: PayoutFee) -> bool:
    """True while the fee is still posting at the version this job moved it to."""
    table = _table()
    row = session.execute(
        sa.select(table.c.state, table.c.state_version).where(table.c.id == fee.id)
    ).one()
    return row.state == F.POSTING and row.state_version == fee.state_version
