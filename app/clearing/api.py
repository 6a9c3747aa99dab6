"""GET /api/v1/clearing?from=&to=: each clearing account's months and what is unmatched (token)."""

from __future__ import annotations

from datetime import date

from flask import Response, jsonify, request
from flask_babel import gettext as _
from sqlmodel import select

from app.clearing.blueprint import bp
from app.clearing.facts import DayStatus
from app.clearing.holidays import swedish_today
from app.clearing.models import ClearingPayout
from app.clearing.read import as_json, day_rows, months, roll_forwards, stored, unmatched_credits
from app.clearing.service import refresh_if_stale
from app.closures.api import authenticate
from app.companies.models import Company
from app.db import get_session

MAX_DAYS = 366


def _problem(status: int, message: str) -> Response:
    response = jsonify({"status": status, "message": message})
    response.status_code = status
    return response


@bp.get("/api/v1/clearing")
def clearing() -> Response:
    """The roll-forward per clearing account and month of [from, to], and the unmatched items."""
    session = get_session()
    token = authenticate(session)
    if isinstance(token, Response):
        return token
    company = session.get(Company, token.company_id)
    assert company is not None
    try:
        hi = date.fromisoformat(request.args.get("to") or swedish_today().isoformat())
        lo = date.fromisoformat(request.args.get("from") or hi.replace(day=1).isoformat())
    except ValueError:
        session.commit()
        return _problem(422, _("from and to are dates: YYYY-MM-DD."))
    if lo > hi or (hi - lo).days > MAX_DAYS:
        session.commit()
        return _problem(422, _("from must not be after to, and at most 366 days apart."))
    today = swedish_today()
    refresh_if_stale(session, company.id or 0, today)
    days, payouts = stored(session, company.id or 0)
    cid = company.id or 0
    open_days = [r for r in day_rows(session, cid, lo, hi) if r.status != DayStatus.SETTLED]
    waiting = session.exec(
        select(ClearingPayout).where(ClearingPayout.company_id == cid, ClearingPayout.how == "")
    ).all()
    body = {
        "company": company.orgnr,
        "from": lo.isoformat(),
        "to": hi.isoformat(),
        "roll_forward": [
            as_json(rf)
            for first, last in months(lo, hi)
            for rf in roll_forwards(days, payouts, first, last, today)
        ],
        "unmatched": {
            "days": [
                {
                    "store": r.store_code,
                    "day": r.business_date.isoformat(),
                    "method": r.method,
                    "account": r.account,
                    "status": r.status,
                    "takings": str(r.takings),
                    "settled": str(r.settled),
                    "in_bank": str(r.in_bank),
                    "difference": str(r.difference),
                    "due": r.due.isoformat(),
                    "closures": r.closure_ids,
                    "settlement_lines": r.line_ids,
                }
                for r in open_days
            ],
            "payouts": [
                {
                    "reference": p.reference,
                    "account": p.account,
                    "amount": str(p.amount),
                    "fees": str(p.fees),
                    "pay_date": p.pay_date.isoformat() if p.pay_date else None,
                    "settlement_lines": p.line_ids,
                }
                for p in waiting
            ],
            "bank_entries": [
                {
                    "id": e.id,
                    "booked": e.booking_date.isoformat() if e.booking_date else None,
                    "amount": str(e.signed_amount),
                    "remittance": e.remittance,
                    "reference": e.account_servicer_ref,
                }
                for e in unmatched_credits(session, cid, lo, hi)
            ],
        },
    }
    session.commit()  # the token's last use
    return jsonify(body)
