"""The reconciliation dashboard: the month grid, a cell's panel, runs with live progress."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_login import current_user, login_required
from sqlmodel import Session, select

from app.auth.scoping import EDITORS, company_for, role_in, visible_store_ids
from app.closures.models import Closure
from app.companies.models import Company, Store
from app.db import get_session
from app.extensions import htmx
from app.reconcile import jobs
from app.reconcile.cache import cursor_for
from app.reconcile.cells import CellWriter
from app.reconcile.chart import month_chart
from app.reconcile.facts import STATUSES
from app.reconcile.grid import day_cell, month_grid
from app.reconcile.panel import cell_panel
from app.reconcile.texts import DOCUMENT_TEXT, STATUS_TEXT
from app.render import render

bp = Blueprint("dashboard", __name__)
BASE = "/c/<int:company_id>/dashboard"


def parse_month(text: str | None) -> date:
    """The first day of YYYY-MM, or of this month when absent or malformed."""
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return date.today().replace(day=1)


def shift(month: date, by: int) -> date:
    """The first day of the month `by` months away."""
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def visible_store(session: Session, company: Company, store_code: str) -> None:
    """404 unless the user may see the store with this POS id (or, unset up, its closures)."""
    visible = visible_store_ids(session, current_user, company)
    store = session.exec(
        select(Store).where(Store.company_id == company.id, Store.store_id == store_code)
    ).first()
    if store is None and visible is None:
        known = session.exec(
            select(Closure.id).where(
                Closure.company_id == company.id, Closure.store_code == store_code
            )
        ).first()
        if known is None:
            abort(404)
        return
    if store is None or (visible is not None and store.id not in visible):
        abort(404)


def texts() -> dict[str, Any]:
    """The status names every reconcile template uses, translated once per request."""
    return {
        "status_text": {s: (str(label), mark) for s, (label, mark) in STATUS_TEXT.items()},
        "document_text": {k: str(v) for k, v in DOCUMENT_TEXT.items()},
        "statuses": STATUSES,
    }


def dashboard_context(session: Session, company: Company) -> dict[str, Any]:
    """Grid, chart, filters and warnings for the dashboard page or its fragment."""
    month = parse_month(request.args.get("month"))
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    store = request.args.get("store", "")
    visible = visible_store_ids(session, current_user, company)
    grid = month_grid(session, company, visible, month)
    rows = [s for s in grid.stores if not store or s[0] == store]
    cursor = cursor_for(session, company.id or 0)
    role = role_in(session, current_user, company)
    return {
        "company": company,
        "grid": grid,
        "rows": rows,
        "cells": CellWriter(company.id or 0, grid.days, status),
        "chart": month_chart(grid),
        "month": month,
        "prev_month": shift(month, -1).strftime("%Y-%m"),
        "next_month": shift(month, 1).strftime("%Y-%m"),
        "only": status,
        "store": store,
        "cursor": cursor,
        "can_run": role in EDITORS,
        **texts(),
    }


@bp.get(BASE)
@login_required
def index(company_id: int) -> Response:
    """The month grid of stores × days; filters live in the URL."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    ctx = dashboard_context(session, company)
    session.commit()
    return render("reconcile/index.html", "reconcile/_board.html", **ctx)


@bp.get(BASE + "/cell/<store_code>/<day>")
@login_required
def cell(company_id: int, store_code: str, day: str) -> Response:
    """One cell's panel: closures, expected vs actual rows, history and the allowed actions."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    visible_store(session, company, store_code)
    when = _day(day)
    role = role_in(session, current_user, company)
    ctx = cell_panel(session, company, store_code, when, role)
    return render("reconcile/cell.html", "reconcile/_panel.html", company=company, **ctx, **texts())


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


@bp.get(BASE + "/cell/<store_code>/<day>/progress")
@login_required
def cell_progress(company_id: int, store_code: str, day: str) -> Response:
    """The self-replacing progress of a cell's action: polls until posted and re-checked."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    visible_store(session, company, store_code)
    when = _day(day)
    role = role_in(session, current_user, company)
    ctx = cell_panel(session, company, store_code, when, role)
    stale = [v for v in ctx["views"] if not v.busy and _stale(v)]
    job = jobs.job_state(jobs.cell_job_id(company.id or 0, store_code, when))
    if not ctx["busy"] and stale and not job["live"]:
        jobs.enqueue_cell(company.id or 0, store_code, when)
        job["live"] = True
    working = ctx["busy"] or job["live"]
    visible = visible_store_ids(session, current_user, company)
    return render(
        "reconcile/cell.html",
        "reconcile/_progress.html",
        company=company,
        working=working,
        cell=day_cell(session, company, visible, store_code, when),
        cells=CellWriter(company.id or 0, [when]),
        **ctx,
        **texts(),
    )


def _stale(view: Any) -> bool:
    """True when a posted closure was not checked since its state last changed."""
    check = view.check
    posted = view.closure.state == "posted"
    return posted and (check is None or check.state_version != view.closure.state_version)


@bp.post(BASE + "/run")
@login_required
def run(company_id: int) -> Response:
    """Reconcile the shown month now, as a job; answers its progress."""
    session = get_session()
    company = company_for(session, current_user, company_id, *EDITORS)
    month = parse_month(request.form.get("month") or request.args.get("month"))
    last = shift(month, 1).toordinal() - 1
    job_id = jobs.enqueue_run(company.id or 0, month, date.fromordinal(last))
    if not htmx:
        return redirect(url_for("dashboard.job", company_id=company.id, job_id=job_id), 303)
    return _job(company, job_id, month)


@bp.get(BASE + "/jobs/<job_id>")
@login_required
def job(company_id: int, job_id: str) -> Response:
    """The self-replacing progress of a reconcile run."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    if not job_id.startswith(f"reconcile-{company.id}-"):
        abort(404)
    return _job(company, job_id, parse_month(request.args.get("month")))


def _job(company: Company, job_id: str, month: date) -> Response:
    state = jobs.job_state(job_id)
    return render(
        "reconcile/job.html",
        "reconcile/_job.html",
        company=company,
        job_id=job_id,
        state=state,
        month=month.strftime("%Y-%m"),
    )


from app.reconcile import actions, api, exports, overview  # noqa: E402, F401  (routes on bp)
