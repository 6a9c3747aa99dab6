"""The payout fee vouchers on the bank page: listed (polled while any is busy) and retried."""

from __future__ import annotations

from decimal import Decimal

from flask import Response, abort, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlmodel import col, select

from app.audit import labels
from app.auth.scoping import EDITORS, READERS, company_for, role_in
from app.bank.blueprint import bp
from app.bank.fees_jobs import fee_changes, retry
from app.bank.fees_models import FeeState, PayoutFee
from app.db import get_session
from app.extensions import htmx
from app.render import render

F = FeeState
BUSY = (F.QUEUED, F.POSTING)
WORDS = {
    F.QUEUED: _l("Pending"),
    F.POSTING: _l("Being posted"),
    F.HELD: _l("Held: not posted"),
    F.POSTED: _l("Posted"),
    F.FAILED: _l("Posting failed"),
    F.NOTHING: _l("No fees: nothing to post"),
}
IN_DOUBT = _l("In doubt: Fortnox is searched before it is sent again")
labels.TARGETS["payout"] = _l("Payout %(id)s")  # the trail's target of a fee voucher's events


@bp.app_template_global("payout_fees")
def payout_fees(company_id: int, limit: int = 100) -> list[PayoutFee]:
    """The company's payout fee vouchers, newest payout first."""
    query = select(PayoutFee).where(PayoutFee.company_id == company_id)
    order = (col(PayoutFee.payout_date).desc(), col(PayoutFee.id).desc())
    return list(get_session().exec(query.order_by(*order).limit(limit)).all())


@bp.app_template_global("payout_fee_changes")
def payout_fee_changes(fees: list[PayoutFee]) -> dict[int, Decimal]:
    """Posted fee vouchers whose payout now has other fees: id -> the fees the lines give now."""
    return fee_changes(get_session(), fees)


@bp.app_template_global("fee_state")
def fee_state(fee: PayoutFee) -> tuple[str, str]:
    """A fee voucher's state in words and its badge (in doubt: a send's outcome is unknown)."""
    if fee.outcome_unknown and fee.state in BUSY:
        return str(IN_DOUBT), "warn"
    badge = {F.POSTED: "ok", F.NOTHING: "ok", F.HELD: "bad", F.FAILED: "bad"}.get(fee.state, "")
    return str(WORDS.get(fee.state, fee.state)), badge


@bp.get("/c/<int:company_id>/bank/fees")
@login_required
def fees(company_id: int) -> Response:
    """The fee vouchers' list (what the bank page's section polls while one is busy)."""
    session = get_session()
    company = company_for(session, current_user, company_id, *READERS)
    can_retry = role_in(session, current_user, company) in EDITORS
    return render("bank/_fees.html", "bank/_fees.html", company=company, can_retry=can_retry)


@bp.post("/c/<int:company_id>/bank/fees/<int:pk>/retry")
@login_required
def retry_fee(company_id: int, pk: int) -> Response:
    """Queue a held or failed fee voucher again; the list shows it pending."""
    session = get_session()
    company = company_for(session, current_user, company_id, *EDITORS)
    fee = session.get(PayoutFee, pk)
    if fee is None or fee.company_id != company.id:
        abort(404)
    retry(session, fee, current_user)
    session.commit()
    where = "bank.fees" if htmx and not htmx.boosted else "bank.index"
    return redirect(url_for(where, company_id=company.id), code=303)
