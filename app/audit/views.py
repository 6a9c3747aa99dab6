"""The audit trail page: filter by who, what and when (kept in the URL), page, verify the chain."""

from __future__ import annotations

from flask import Response, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.audit import details, labels
from app.audit.blueprint import bp
from app.audit.service import verify
from app.auth.scoping import READERS, company_for
from app.companies.models import Company
from app.converters import id_arg
from app.dates import parse_range
from app.db import get_session
from app.render import render
from app.reports import trail

# What broke the chain (ChainReport.code), in the reader's language.
PROBLEM_TEXT = {
    "link": _l("link to the previous event broken"),
    "content": _l("content altered after it was written"),
}
PER_PAGE = 50
# An event's details in the reader's language, on the audit page and in the report's trail.
bp.add_app_template_filter(details.event_details, "event_details")


def readable(company_id: int) -> Company:
    """The company for admins, accountants and auditors (other members 403, strangers 404)."""
    return company_for(get_session(), current_user, company_id, *READERS)


def filters() -> tuple[trail.EventFilter, dict[str, str]]:
    """The filters the query string asks for, and what to fix in a day that cannot be read."""
    days = parse_range(request.args)
    f = trail.EventFilter(
        who=request.args.get("who", "").strip()[:254],
        action=request.args.get("action", "").strip()[:60],
        start=days.start,
        end=days.end,
    )
    return f, days.errors


@bp.get("")
@login_required
def index(company_id: int) -> Response:
    """One page of events matching the filters, newest first, each with what it changed."""
    company = readable(company_id)
    session = get_session()
    f, errors = filters()
    page = max(id_arg(request.args.get("page")) or 1, 1)
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    events, total = trail.search(session, company.id or 0, f, zone, page, PER_PAGE)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render(
        "audit/index.html",
        "audit/_results.html",
        company=company,
        events=events,
        total=total,
        current=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        args=args,
        filters=f,
        errors=errors,
        actions=trail.actions_of(session, company.id or 0),
        labels=trail.ACTIONS,
        changes=trail.changes,
        words=labels,
    )


@bp.get("/verify")
@login_required
def check(company_id: int) -> Response:
    """Walk the whole hash chain and say whether it is intact."""
    company = readable(company_id)
    result = verify(get_session(), company_id=company.id)
    problem = str(PROBLEM_TEXT.get(result.code, result.problem))
    return render(
        "audit/verify.html", "audit/_verify.html", company=company, chain=result, problem=problem
    )
