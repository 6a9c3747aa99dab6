"""Reports page: order (accountants, admins, auditors), watch the build, download, rebuild."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, g, redirect, request, send_file, url_for
from flask_login import current_user, login_required

from app.auth.scoping import READERS, company_for, visible_stores
from app.companies.models import Company
from app.db import get_session
from app.extensions import htmx
from app.render import render
from app.reports import evidence, files, people, service
from app.reports.data import Scope
from app.reports.forms import last_month, order_form
from app.reports.models import Report

bp = Blueprint("reports", __name__, url_prefix="/c/<int:company_id>/reports")
ORDERERS = READERS  # an auditor orders the reports they audit, in the language they read


def _company(company_id: int, *roles: str) -> Company:
    """The company for a reader, or for one of roles when given (a member otherwise gets 403)."""
    return company_for(get_session(), current_user, company_id, *(roles or READERS))


def _rows(company: Company, reports: list[Report]) -> dict[str, Any]:
    """What each report's row shows besides the report: who ordered it, whether it is stale."""
    session = get_session()
    return {
        "company": company,
        "orderers": people.orderers(session, reports),
        "stale": service.out_of_date(session, company.orgnr, reports),
        "can_order": g.membership.role in ORDERERS,
    }


def _day(text: str | None) -> date | None:
    """A YYYY-MM-DD date from the query string, None when it is none."""
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def _evidence(company: Company, start: date | None, end: date | None) -> dict[str, Any]:
    """The months of the chosen period (last month when none), for their evidence links."""
    if start is None or end is None:
        start, end = last_month(date.today())
    fits = start <= end <= service.longest_end(start)
    return {
        "evidence_months": evidence.months(Scope(company.id or 0, start, end)) if fits else [],
        "can_read_books": g.membership.role in READERS,  # the evidence views' own check
    }


def _page(company: Company, form=None, status: int = 200, refused: bool = False) -> Response:
    """The reports page (or, to htmx, its panel)."""
    session = get_session()
    stores = visible_stores(session, current_user, company)
    if form is None:
        form = order_form(stores, company.language, date.today())
    reports = service.list_reports(session, company.id or 0)
    return render(
        "reports/index.html",
        "reports/_panel.html",
        status=status,
        form=form,
        reports=reports,
        refused=refused,
        **_rows(company, reports),
        **_evidence(company, form.start.data, form.end.data),
    )


@bp.get("")
@login_required
def index(company_id: int) -> Response:
    """The company's reports, who ordered them, whether each is up to date, and the order form."""
    return _page(_company(company_id))


@bp.get("/evidence")
@login_required
def evidence_links(company_id: int) -> Response:
    """The chosen period's SIE 4 files, VAT tie-outs and Z-chains, a month each (the form asks)."""
    company = _company(company_id)
    args = request.args
    return render(
        "reports/_evidence.html",
        "reports/_evidence.html",
        company=company,
        can_order=g.membership.role in ORDERERS,  # the form it follows is there
        **_evidence(company, _day(args.get("start")), _day(args.get("end"))),
    )


@bp.post("")
@login_required
def order(company_id: int) -> Response:
    """Queue a report; the same order while one is being built is politely refused."""
    company = _company(company_id, *ORDERERS)
    session = get_session()
    form = order_form(
        visible_stores(session, current_user, company), company.language, date.today()
    )
    if not form.validate_on_submit():
        return _page(company, form, status=422)
    request_ = service.Order(
        company.id or 0,
        form.start.data,
        form.end.data,
        tuple(form.stores.data or ()),
        form.language.data,
    )
    return _queue(company, request_, form)


def _queue(company: Company, order: service.Order, form=None, rebuilds: int | None = None):
    """Queue order; the panel again (htmx) or the page, or the polite refusal of a duplicate."""
    session = get_session()
    try:
        service.order_report(session, order=order, user=current_user, rebuilds=rebuilds)
    except service.DuplicateOrder:
        if htmx:
            return render("reports/_refused.html", status=409)
        return _page(company, form, status=409, refused=True)
    if htmx:
        return _page(company)
    return redirect(url_for("reports.index", company_id=company.id), 303)


@bp.post("/<int:report_id>/rebuild")
@login_required
def rebuild(company_id: int, report_id: int) -> Response:
    """Build a report again over its period's data as it is now (the old one stays listed)."""
    company = _company(company_id, *ORDERERS)
    report = service.get_report(get_session(), company.id or 0, report_id)
    if report is None or report.status not in ("done", "expired"):
        abort(404)
    return _queue(company, service.rebuild_order(report), rebuilds=report.id)


@bp.get("/<int:report_id>")
@login_required
def status(company_id: int, report_id: int) -> Response:
    """One report's row: it polls itself while the report is queued or being built."""
    company = _company(company_id)
    report = service.get_report(get_session(), company.id or 0, report_id)
    if report is None:
        abort(404)
    return render(
        "reports/_row.html", "reports/_row.html", report=report, **_rows(company, [report])
    )


@bp.get("/<int:report_id>/download")
@login_required
def download(company_id: int, report_id: int) -> Response:
    """The PDF; every download is an audit event."""
    company = _company(company_id)
    session = get_session()
    report = service.get_report(session, company.id or 0, report_id)
    path = service.download(session, report, current_user) if report else None
    if report is None or path is None:
        abort(404)
    session.commit()
    name = files.download_name(report, company.orgnr)
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=name)
