"""Closure pages: the list, one closure, uploading a file, and the refused payloads."""

from __future__ import annotations

import io
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import Session

from app import exports
from app.auth.scoping import (
    EDITORS,
    READERS,
    company_for,
    role_in,
    visible_store_ids,
    visible_stores,
)
from app.closures import filters, refused, service
from app.closures.batch import ingest_file, summary
from app.closures.export import table
from app.closures.figures import payment_name, totals, vat_rate
from app.closures.filters import ListFilters
from app.closures.page import closure_page
from app.closures.statuses import status_codes, status_words
from app.companies.models import Company
from app.converters import id_arg
from app.db import get_session
from app.extensions import htmx
from app.render import render

bp = Blueprint("closures", __name__, url_prefix="/c/<int:company_id>/closures")
bp.add_app_template_filter(vat_rate, "vat_rate")
bp.add_app_template_filter(payment_name, "payment_name")
bp.add_app_template_filter(totals, "closure_totals")


@bp.app_context_processor  # the posting status, polled from its own blueprint, names states too
def _names() -> dict[str, Any]:
    """Words for states and outcomes, in the user's language."""
    states = {
        "received": _("Received"),
        "held": _("On hold"),
        "awaiting_approval": _("Awaiting approval"),
        "queued": _("Queued"),
        "posting": _("Posting"),
        "posted": _("Posted"),
        "failed": _("Failed"),
        "superseded": _("Superseded"),
    }
    outcomes = {
        "created": _("Stored"),
        "revision": _("Stored as a new revision"),
        "unchanged": _("Already received"),
        "conflict": _("Conflict"),
        "invalid": _("Refused"),
        "too_large": _("Too large"),
        "unsupported": _("Not JSON"),
    }
    return {"state_names": states, "outcome_names": outcomes}


def _may(session: Session, company: Company) -> dict[str, bool]:
    """What the signed-in user may do on these pages."""
    role = role_in(session, current_user, company)
    return {"can_edit": role in EDITORS, "can_see_rejected": role in READERS}


def _listing(session: Session, company: Company) -> tuple[ListFilters, set[int] | None]:
    """The list's filters from the query string, and the stores the user sees."""
    return filters.parse(request.args, status_codes()), visible_store_ids(
        session, current_user, company
    )


@bp.get("")
@login_required
def index(company_id: int) -> Response:
    """The latest revision of each closure: searched, filtered by store, days and status."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    chosen, visible = _listing(session, company)
    page = id_arg(request.args.get("page")) or 1
    listing = service.list_latest(session, company, visible=visible, filters=chosen, page=page)
    return render(
        "closures/index.html",
        "closures/_rows.html",
        company=company,
        listing=listing,
        rows=listing.rows,
        filters=chosen,
        stores=visible_stores(session, current_user, company),
        status_codes=status_codes(),
        status_words=status_words(),
        fragment=bool(htmx) and not htmx.boosted,  # the day fields come along, out of band
        **_may(session, company),
    )


@bp.get("/export.<fmt>")
@login_required
def export(company_id: int, fmt: str) -> Response:
    """The list as the filters narrow it, every page of it, as CSV or XLSX."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    chosen, visible = _listing(session, company)
    rows = service.all_latest(session, company, visible=visible, filters=chosen)
    return exports.attachment(*table(rows), name=f"closures-{company.id}", fmt=fmt)


@bp.get("/<int:pk>")
@login_required
def show(company_id: int, pk: int) -> Response:
    """One closure revision: what the POS sent, summed, its posting and its other revisions."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    visible = visible_store_ids(session, current_user, company)
    closure = service.get_closure(session, company, pk, visible=visible)
    if closure is None:
        abort(404)
    return render("closures/show.html", **closure_page(session, company, closure))


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload(company_id: int) -> Response:
    """Upload a JSON or NDJSON file of closures and show what became of each."""
    session = get_session()
    company = company_for(session, current_user, company_id, *EDITORS)
    outcomes, filename, error = None, "", ""
    if request.method == "POST":
        file = request.files.get("file")
        if file is None or not file.filename:
            error = _("Choose a JSON or NDJSON file to upload.")
        else:
            filename = file.filename
            outcomes = ingest_file(
                session,
                company=company,
                data=file.read(),
                filename=filename,
                source="upload",
                user=current_user,
            )
    ctx = {"company": company, "outcomes": outcomes, "filename": filename, "error": error}
    counts = summary(outcomes) if outcomes else {}
    return render("closures/upload.html", "closures/_upload_results.html", counts=counts, **ctx)


@bp.get("/rejected")
@login_required
def rejected(company_id: int) -> Response:
    """Refused payloads with their problems, open ones first (all with ?all=1)."""
    session = get_session()
    company = company_for(session, current_user, company_id, *READERS)
    show_all = request.args.get("all") == "1"
    items, total = refused.list_refused(session, company, resolved=show_all)
    return render(
        "closures/rejected.html",
        "closures/_rejected_list.html",
        company=company,
        items=items,
        total=total,
        show_all=show_all,
        pretty=refused.pretty,
        **_may(session, company),
    )


@bp.get("/rejected/<int:rejected_id>/raw")
@login_required
def rejected_raw(company_id: int, rejected_id: int) -> Response:
    """Download a refused payload's bytes as they were sent."""
    session = get_session()
    company = company_for(session, current_user, company_id, *READERS)
    item = refused.get_refused(session, company, rejected_id) or abort(404)
    return send_file(
        io.BytesIO(refused.original_bytes(item)),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=f"rejected-{item.id}.json",
    )


@bp.post("/rejected/<int:rejected_id>/resolve")
@login_required
def resolve(company_id: int, rejected_id: int) -> Response:
    """Mark a refused payload dealt with; htmx gets the row back, others the list."""
    session = get_session()
    company = company_for(session, current_user, company_id, *EDITORS)
    item = refused.get_refused(session, company, rejected_id) or abort(404)
    refused.resolve(session, item, user=current_user)
    session.commit()
    if htmx:
        ctx = {"company": company, "item": item, "pretty": refused.pretty, "can_edit": True}
        return render("closures/_rejected_item.html", **ctx)
    return redirect(url_for(".rejected", company_id=company.id), 303)
