"""GET /api/v1/reconciliation: a company token as Bearer, or a signed-in user with company=ORGNR."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, jsonify, request
from flask_login import current_user
from sqlmodel import Session, select
from werkzeug.exceptions import NotFound

from app.attachments.status import unattached
from app.auth.scoping import company_for, visible_store_ids
from app.closures.api import authenticate
from app.companies.models import Company, Store
from app.db import get_session
from app.evidence.breaks import findings
from app.reconcile.blueprint import bp
from app.reconcile.report import closure_rows, day_rows
from app.reconcile.texts import _

MAX_DAYS = 366


def _problem(status: int, message: str) -> Response:
    response = jsonify({"status": status, "message": message})
    response.status_code = status
    return response


def _company(session: Session) -> tuple[Company, set[int] | None] | Response:
    """The company asked about and the stores visible, or the error to answer."""
    if request.headers.get("Authorization"):
        token = authenticate(session)
        if isinstance(token, Response):
            return token
        company = session.get(Company, token.company_id)
        assert company is not None
        return company, None
    if not current_user.is_authenticated:
        return _problem(401, _("Send a company API token as Bearer, or sign in."))
    orgnr = request.args.get("company", "")
    company = session.exec(select(Company).where(Company.orgnr == orgnr)).first()
    try:
        company = company_for(session, current_user, company.id or 0) if company else None
    except NotFound:
        company = None  # another company's: the very answer of one that does not exist
    if company is None:
        return _problem(404, _("No such company."))
    return company, visible_store_ids(session, current_user, company)


@bp.get("/api/v1/reconciliation")
def reconciliation() -> Response:
    """Per closure its status and differences; per store-day its status and totals."""
    session = get_session()
    found = _company(session)
    if isinstance(found, Response):
        session.commit()
        return found
    company, visible = found
    try:
        hi = date.fromisoformat(request.args.get("to") or date.today().isoformat())
        lo = date.fromisoformat(request.args.get("from") or (hi - timedelta(days=30)).isoformat())
    except ValueError:
        return _problem(422, _("from and to are dates: YYYY-MM-DD."))
    if lo > hi or (hi - lo).days > MAX_DAYS:
        return _problem(422, _("from must not be after to, and at most 366 days apart."))
    codes = None
    if visible is not None:
        stores = session.exec(select(Store).where(Store.company_id == company.id)).all()
        codes = {s.store_id for s in stores if s.id in visible}
    body = {
        "company": company.orgnr,
        "from": lo.isoformat(),
        "to": hi.isoformat(),
        "closures": closure_rows(session, company.id or 0, lo, hi, visible),
        "store_days": day_rows(session, company.id or 0, lo, hi, codes),
        "breaks": [f.to_json() for f in findings(session, company.id or 0, lo, hi, codes)],
        "unattached": unattached(session, company.id or 0, lo, hi, codes),  # vouchers lacking a Z
    }
    session.commit()  # the token's last use
    return jsonify(body)
