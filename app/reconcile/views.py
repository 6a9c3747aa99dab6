"""The reconciliation dashboard: the month grid, a cell's panel, runs with live progress."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, redirect, request, url_for
from flask_htmx import make_response
from flask_login import current_user, login_required
from sqlmodel import Session, select

from app.auth.scoping import EDITORS, company_for, role_in, visible_store_ids
from app.closures.models import Closure
from app.companies.models import Company, Store
from app.db import get_session
from app.extensions import htmx
from app.htmx_events import CLOSURE_CHANGED
from app.overview.service import contributes
from app.reconcile import jobs, zchain
from app.reconcile.blueprint import BASE, bp
from app.reconcile.board import board_context, parse_month, shift, shown_board, texts
from app.reconcile.overview import reconcile_figures
from app.reconcile.panel import cell_panel
from app.render import render

# The overview's figures from reconciliation: the needs-attention list first, then the Z-chain's
# breaks, which join that list.
contributes(reconcile_figures)
contributes(zchain.chain_breaks)


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


@bp.get(BASE)
@login_required
def index(company_id: int) -> Response:
    """The month grid of stores × days; filters live in the URL."""
    session = get_session()
    company = company_for(session, current_user, company_id)
    ctx = board_context(session, company, request.args)
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
    chain = zchain.day_marks(session, company.id or 0, store_code, when)
    return render(
        "reconcile/cell.html",
        "reconcile/_panel.html",
        company=company,
        day_breaks=chain,
        **ctx,
        **texts(),
    )


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
    shown = shown_board(company, when) if not working else None
    # Once done: the cell and what sums the cells up (legend, chart) as the board shows them, out
    # of band. Not while polling: that would build the month's grid every second for nothing.
    board = board_context(session, company, shown) if shown is not None else texts()
    cell = board["grid"].cell(store_code, when) if shown is not None else None
    answer = {**board, **ctx, "company": company, "working": working, "cell": cell}
    answer["day_breaks"] = zchain.day_marks(session, company.id or 0, store_code, when)
    return render("reconcile/cell.html", "reconcile/_progress.html", **answer)


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


def answer(company_id: int, store_code: str, day: date, closure: dict | None) -> Response:
    """The cell's progress for htmx (with an event), a redirect to the panel otherwise."""
    if not htmx:
        url = url_for(
            "dashboard.cell", company_id=company_id, store_code=store_code, day=day.isoformat()
        )
        return redirect(url, 303)
    response = cell_progress(company_id, store_code, day.isoformat())
    if closure is None:
        return response
    return make_response(response, trigger={CLOSURE_CHANGED: closure})
