"""The kept Z-report of a closure revision, downloaded from Kassabok; its standing on the page."""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, send_file
from flask_login import current_user, login_required

from app.attachments import originals
from app.attachments.status import Standing, standing
from app.auth.scoping import company_for, visible_store_ids
from app.closures.models import Closure
from app.closures.service import get_closure
from app.db import get_session

bp = Blueprint("attachments", __name__, url_prefix="/c/<int:company_id>/closures")


@bp.app_template_global("zreport_standing")
def zreport_standing(closure: Closure) -> Standing:
    """The closure page's Z-report line: the kept original and its way to the voucher."""
    return standing(get_session(), closure)


@bp.get("/<int:pk>/zreport.pdf")
@login_required
def download(company_id: int, pk: int) -> Response:
    """The closure revision's Z-report as kept (the POS's own, or the one Kassabok rendered)."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    visible = visible_store_ids(session, current_user, company)
    closure = get_closure(session, company, pk, visible=visible)
    if closure is None:
        abort(404)
    original = originals.keep(session, closure)  # kept now if its job has not run yet
    session.commit()
    if original.data is None:  # pruned after its retention period
        abort(410)
    response = send_file(
        io.BytesIO(original.data),
        mimetype=original.content_type,
        download_name=original.filename,
        etag=original.sha256,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response
