"""The month board's bulk retry and approve: confirm, act one closure at a time, watch them post."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from app.auth.scoping import company_for, role_in, visible_store_ids
from app.closures.models import Closure
from app.companies.models import Company
from app.converters import id_arg
from app.db import get_session
from app.extensions import htmx
from app.reconcile import bulk
from app.reconcile.blueprint import BASE, bp
from app.reconcile.board import texts
from app.render import render


@bp.route(BASE + "/bulk/<action>", methods=["GET", "POST"])
@login_required
def bulk_action(company_id: int, action: str) -> Response:
    """Retry or approve the closures the board shows: GET lists them to confirm, POST acts."""
    session = get_session()
    company, view, visible, role = _asked(company_id, action)
    ctx: dict[str, Any] = {"company": company, "action": action, "view": view}
    if request.method == "GET":
        found = bulk.candidates(session, company, visible, role, view, action)
        ctx.update(picked=found[: bulk.LIMIT], more=len(found) > bulk.LIMIT, limit=bulk.LIMIT)
        return render("reconcile/bulk.html", "reconcile/_bulk.html", **ctx, **texts())
    pks = _pks(request.form.getlist("pk"))
    outcomes = bulk.run(session, company, visible, role, current_user, action, pks)
    summary = bulk.summary(outcomes)
    if not htmx:
        flash(summary, "success")
        return redirect(url_for("dashboard.index", company_id=company.id, **view.query()), 303)
    acted = [o.closure for o in outcomes if not o.skipped]
    return render(
        "reconcile/bulk.html",
        "reconcile/_bulk.html",
        outcomes=outcomes,
        summary=summary,
        **_progress(company, action, view, acted),
        **ctx,
    )


@bp.get(BASE + "/bulk/<action>/progress")
@login_required
def bulk_progress(company_id: int, action: str) -> Response:
    """The closures a bulk action queued, polled until none is queued or posting any more."""
    session = get_session()
    company, view, visible, _role = _asked(company_id, action)
    closures = bulk.shown(session, company, visible, _pks(request.args.getlist("pk")))
    if not htmx:
        return redirect(url_for("dashboard.index", company_id=company.id, **view.query()), 303)
    ctx = _progress(company, action, view, closures)
    return render("reconcile/_bulk_progress.html", company=company, view=view, **ctx)


def _asked(company_id: int, action: str) -> tuple[Company, bulk.View, set[int] | None, Any]:
    """The company, the board's view, the stores the user sees and their role; 404/403 else."""
    if action not in bulk.ACTIONS:
        abort(404)
    session = get_session()
    company = company_for(session, current_user, company_id)
    role = role_in(session, current_user, company)
    if role not in bulk.ROLES[action]:
        abort(403)
    visible = visible_store_ids(session, current_user, company)
    return company, bulk.view_of(request.values), visible, role


def _pks(values: list[str]) -> list[int]:
    """The closure ids a form or query names (what is not an id is left out)."""
    return [pk for pk in map(id_arg, values) if pk is not None]


def _progress(
    company: Company, action: str, view: bulk.View, closures: list[Closure]
) -> dict[str, Any]:
    """What the progress list needs: the closures, whether one still posts, where to poll."""
    url = url_for(
        "dashboard.bulk_progress",
        company_id=company.id,
        action=action,
        pk=[c.id for c in closures],
        **view.query(),
    )
    busy = any(c.state in ("queued", "posting") for c in closures)
    return {"closures": closures, "busy": busy, "poll": url}
