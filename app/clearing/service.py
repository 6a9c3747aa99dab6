"""Clearing's service: match a company afresh and keep the outcome; an accountant's decisions."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.audit.service import record
from app.bank.models import BankEntry
from app.clearing.facts import Decision, Outcome
from app.clearing.holidays import swedish_today
from app.clearing.load import (
    aliases,
    latest_mapping,
    load_entries,
    load_lines,
    load_takings,
    store_words,
)
from app.clearing.match import match
from app.clearing.models import ClearingDay, ClearingDecision, ClearingPayout, ClearingSetting
from app.closures.models import Closure
from app.db import utcnow
from app.queue import enqueue

log = logging.getLogger(__name__)
DEFAULT_LATE_AFTER = 5
MATCH_KINDS = ("payout", "deposit", "swish")  # what an accountant may match a bank entry to


def late_after(session: Session, company_id: int) -> int:
    """After how many banking days unsettled takings are late (the company's setting)."""
    row = session.get(ClearingSetting, company_id)
    return row.late_after if row else DEFAULT_LATE_AFTER


def decisions(session: Session, company_id: int) -> list[Decision]:
    """The accountant's matches and unmatches of the company's bank entries."""
    rows = session.exec(select(ClearingDecision).where(ClearingDecision.company_id == company_id))
    return [Decision(r.entry_id, r.action, r.kind, r.reference) for r in rows]


def compute(session: Session, company_id: int, today: date | None = None) -> Outcome:
    """Match the company's posted takings, settlement lines and bank entries (nothing stored)."""
    mapping = latest_mapping(session, company_id)
    words = aliases(session, company_id)
    return match(
        load_takings(session, company_id, mapping),
        load_lines(session, company_id, mapping, words),
        load_entries(session, company_id),
        stores=store_words(session, company_id, words["store"]),
        decisions=decisions(session, company_id),
        today=today or swedish_today(),
        late_after=late_after(session, company_id),
        swish=words.get("swish", {}),
    )


def recompute(session: Session, company_id: int, today: date | None = None) -> Outcome:
    """Match the company afresh and replace its stored days and payouts (caller commits)."""
    outcome = compute(session, company_id, today)
    session.execute(delete(ClearingDay).where(ClearingDay.company_id == company_id))  # type: ignore[arg-type]
    session.execute(delete(ClearingPayout).where(ClearingPayout.company_id == company_id))  # type: ignore[arg-type]
    now = utcnow()
    days = [
        dict(
            company_id=company_id,
            store_code=d.store,
            business_date=d.day,
            method=d.method,
            account=d.account,
            takings=d.takings,
            settled=d.settled,
            refunds=d.refunds,
            fees=d.fees,
            in_bank=d.in_bank,
            status=str(d.status),
            difference=d.difference,
            due=d.due,
            closure_ids=list(d.closures),
            line_ids=d.line_ids,
            payouts=[[ref, str(g)] for ref, g in d.portions],
            entry_ids=d.entry_ids,
            computed_at=now,
        )
        for d in outcome.days
    ]
    payouts = [
        dict(
            company_id=company_id,
            kind=p.kind,
            reference=p.reference,
            account=p.account,
            store_code=p.store,
            pay_date=p.pay_date,
            gross=p.gross,
            fees=p.fees,
            amount=p.amount,
            in_bank=p.in_bank,
            booked_on=p.booked_on,
            due=p.due,
            how=p.how,
            difference=p.difference,
            entry_ids=p.entry_ids,
            line_ids=p.line_ids,
            days=[[s, d.isoformat(), m] for s, d, m in p.days],
        )
        for p in outcome.payouts
    ]
    # One INSERT of many rows each: the ORM's unit of work took seconds for a month of 50 stores.
    for model, rows in ((ClearingDay, days), (ClearingPayout, payouts)):
        if rows:
            session.execute(insert(model), rows)
    session.flush()
    return outcome


def refresh_if_stale(session: Session, company_id: int, today: date) -> bool:
    """Match afresh when the stored outcome was worked out before today, and commit; whether it
    was. A day's status turns from in transit to late with the calendar alone, and the month's
    roll-forward is worked out as of today: both must be of the same day."""
    last = session.exec(
        select(func.max(ClearingDay.computed_at)).where(ClearingDay.company_id == company_id)
    ).one()
    if last is None or swedish_today(last) >= today:
        return False
    try:
        recompute(session, company_id, today)
        session.commit()
    except IntegrityError:  # another request matched it this instant: its outcome stands
        session.rollback()
    return True


def on_bank_imported(session: Session, company_id: int, kind: str = "", file_id: int = 0) -> None:
    """A statement or settlement file arrived: match the company afresh in its transaction."""
    recompute(session, company_id)


def on_closure_posted(session: Session, closure_pk: int) -> None:
    """A closure is in the books: queue the company's matching (never raises)."""
    try:
        closure = session.get(Closure, closure_pk)
        if closure is not None:
            enqueue(
                "reconcile",
                "worker.jobs.clearing.recompute_company",
                closure.company_id,
                job_id=f"clearing-{closure.company_id}",
            )
    except Exception:
        log.exception("queueing the clearing of closure %s's company failed", closure_pk)


class DecisionRefused(ValueError):
    """A manual match that cannot be made; the message says what to fix."""


def decide(
    session: Session,
    *,
    company_id: int,
    entry_id: int,
    action: str,
    user: Any,
    kind: str = "",
    reference: str = "",
    note: str = "",
) -> ClearingDecision | None:
    """Match a bank entry to a payout or a store's deposit, unmatch it, or forget the decision."""
    entry = session.get(BankEntry, entry_id)
    if entry is None or entry.company_id != company_id:
        raise DecisionRefused(_("No such bank entry."))
    if action == "match" and (kind not in MATCH_KINDS or not reference.strip()):
        raise DecisionRefused(
            _("Choose the payout, or the store whose deposit or Swish payment the entry is.")
        )
    if action not in ("match", "unmatch", "forget"):
        raise DecisionRefused(_("Choose match, unmatch or forget."))
    row = session.exec(
        select(ClearingDecision).where(
            ClearingDecision.company_id == company_id, ClearingDecision.entry_id == entry_id
        )
    ).first()
    before = {"action": row.action, "kind": row.kind, "reference": row.reference} if row else None
    if row is not None:
        session.delete(row)
        session.flush()
        row = None
    if action != "forget":
        row = ClearingDecision(
            company_id=company_id,
            entry_id=entry_id,
            action=action,
            kind=kind,
            reference=reference.strip(),
            decided_by=getattr(user, "id", None),
            note=note,
        )
        session.add(row)
    record(
        session,
        action=f"clearing.{action}",
        company_id=company_id,
        user=user,
        target=f"bankentry:{entry_id}",
        detail={
            "amount": entry.signed_amount,
            "booked": entry.booking_date,
            "kind": kind,
            "reference": reference.strip(),
            "before": before,
            "note": note,
        },
    )
    recompute(session, company_id)
    return row
