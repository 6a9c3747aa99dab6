"""A closure's voucher sent at most once (app/posting/sendonce.py), kept, and its owner checked."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app import events
from app.closures.models import Closure
from app.fortnox import api, years
from app.posting import state
from app.posting.builder import VoucherDraft
from app.posting.sendonce import Lost, Owner, Stop, send_once, voucher_json

__all__ = ["Lost", "Stop", "ensure_owner", "remember", "send_voucher", "voucher_json"]


def financial_year(client: Any, day: str) -> int | None:
    """The financial year id for day, from the company's cached years (refetched on a miss)."""
    return years.year_id(client, day)


def send_voucher(
    session: Session, client: Any, closure: Closure, draft: VoucherDraft
) -> api.VoucherRef:
    """Adopt the voucher an uncertain earlier send made, else create it (app/posting/sendonce)."""
    owner = Owner(
        what=f"closure {closure.id}",
        in_doubt=closure.outcome_unknown,
        mark=lambda unknown: state.set_unknown(session, closure, unknown),
        check=lambda: ensure_owner(session, closure),
    )
    return send_once(session, client, closure.company_id, draft, owner)


def remember(session: Session, company_id: int, ref: api.VoucherRef) -> None:
    """Announce Fortnox's answer (the voucher with its rows): reconcile keeps it in its cache."""
    events.announce(events.VOUCHER_SENT, session, company_id, ref.voucher, ref.year)


def ensure_owner(session: Session, closure: Closure) -> None:
    """Raise Lost unless this job still owns the closure (checked right before each send)."""
    if not state.still_owner(session, closure):
        raise Lost()
