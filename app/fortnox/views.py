"""The Fortnox page: connect, disconnect, authorization links, pre-flight; and the callback."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_htmx import make_response
from flask_login import current_user, login_required

from app import htmx_events
from app.auth.scoping import ADMINS, EDITORS, company_for, public, role_in
from app.db import get_session
from app.fortnox import connect, fixes, health, orgnr, preflight, tokens
from app.fortnox.checks import Check, ordered
from app.fortnox.connect import ConnectRefused
from app.mapping.rechecks import after_change
from app.render import render

bp = Blueprint("fortnox", __name__)
PAGE = "/c/<int:company_id>/fortnox"


@bp.record_once
def _globals(state: BlueprintSetupState) -> None:
    """Give every template the connection-health badge's function."""
    health.init_app(state.app)


def _context(company_id: int, checks: list[Check] | None = None) -> dict:
    """What the Fortnox page and its fragments show: red lines first, each with its fix."""
    session = get_session()
    company = company_for(session, current_user, company_id, *EDITORS)
    conn = tokens.connection(session, company_id)
    checks = ordered(preflight.stored(session, company_id) or checks or [])
    is_admin = role_in(session, current_user, company) in ADMINS
    return {
        "company": company,
        "conn": conn,
        "checks": checks,
        "fixes": fixes.plan(session, checks, company, conn, is_admin=is_admin),
        "is_admin": is_admin,
        "mismatch": orgnr.mismatch(session, company, conn),
    }


@bp.get(PAGE + "/")
@login_required
def index(company_id: int) -> Response:
    """Connection status, authorization, and the pre-flight checklist."""
    return render("fortnox/index.html", **_context(company_id))


@bp.get(PAGE + "/authorize")
@login_required
def authorize(company_id: int) -> Response:
    """Send an admin's browser to Fortnox's consent page."""
    company = company_for(get_session(), current_user, company_id, *ADMINS)
    return redirect(connect.begin(company, user_id=current_user.id), 303)


@bp.post(PAGE + "/disconnect")
@login_required
def disconnect(company_id: int) -> Response:
    """Revoke the token at Fortnox and forget it."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    revoked = connect.disconnect(session, company, current_user)
    session.commit()
    if revoked:
        flash(_("Disconnected from Fortnox; Fortnox confirmed the revocation."), "success")
    else:
        flash(_("Disconnected. Fortnox did not confirm the revocation."), "warning")
    return redirect(url_for("fortnox.index", company_id=company_id), 303)


@bp.post(PAGE + "/orgnr")
@login_required
def confirm_orgnr(company_id: int) -> Response:
    """An admin confirms the Fortnox company whose organisation number differs; closures move."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    if not orgnr.confirm(session, company, request.form.get("key", ""), current_user):
        session.rollback()
        flash(_("The connection changed meanwhile: check the organisation numbers again."), "error")
        return redirect(url_for("fortnox.index", company_id=company_id), 303)
    session.commit()
    preflight.refresh_preflight(session, company_id)  # green now: held closures post at once
    session.expire_all()
    conn = tokens.connection(session, company_id)
    name = conn.fortnox_name if conn else ""
    flash(_("Confirmed: closures are posted into %(name)s in Fortnox.", name=name), "success")
    return redirect(url_for("fortnox.index", company_id=company_id), 303)


@bp.post(PAGE + "/links")
@login_required
def create_link(company_id: int) -> Response:
    """Make a one-time authorization link for the customer's Fortnox administrator."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    url = connect.create_link(session, company, current_user)
    session.commit()
    return render("fortnox/link.html", "fortnox/_link.html", company=company, url=url)


@bp.route(PAGE + "/preflight", methods=["GET", "POST"])
@login_required
def run_preflight(company_id: int) -> Response:
    """Show the checklist; POST runs it again first (and says so beside the button if it cannot)."""
    session = get_session()
    company_for(session, current_user, company_id, *EDITORS)
    if request.method == "GET":
        return render("fortnox/index.html", "fortnox/_preflight_ran.html", **_context(company_id))
    session.commit()  # end the read transaction: the checks run now and are seen after
    ran = preflight.refresh_preflight(session, company_id)
    session.expire_all()
    notice = None
    conn = tokens.connection(session, company_id)
    if conn is None or conn.status != tokens.CONNECTED:
        notice = fixes.Notice("error", _not_connected(conn), "run")
    return _ran(company_id, notice, ran)


def _not_connected(conn: object) -> str:
    """Why the checks could not ask Fortnox, and who does what about it."""
    if conn is not None and getattr(conn, "status", "") == tokens.LOST:
        return _(
            "The checks could not run: Fortnox no longer accepts Kassabok's authorization. "
            "An administrator authorizes Kassabok again under Connection above."
        )
    return _(
        "The checks could not run: Kassabok is not connected to Fortnox. "
        "An administrator connects it with Authorize under Connection above."
    )


def _ran(company_id: int, notice: fixes.Notice | None, ran: list[Check] | None = None) -> Response:
    """The checklist after a run (and the header's badge), with what the button did."""
    ctx = _context(company_id, ran)
    response = render("fortnox/index.html", "fortnox/_preflight_ran.html", notice=notice, **ctx)
    ok = all(c.ok for c in ctx["checks"]) and bool(ctx["checks"])
    return make_response(response, trigger={htmx_events.PREFLIGHT_RAN: {"ok": ok}})


@bp.post(PAGE + "/preflight/cost-centers")
@login_required
def create_cost_center(company_id: int) -> Response:
    """Create a store's missing cost center in Fortnox, then run the checks again."""
    session = get_session()
    company = company_for(session, current_user, company_id, *EDITORS)
    notice = fixes.create_cost_center(session, company, request.form.get("store", ""), current_user)
    session.commit()  # the audit event; the checks run after it, in their own session
    if notice.level != "error":
        preflight.refresh_preflight(session, company_id)
        session.expire_all()
    return _ran(company_id, notice)


@bp.get("/fortnox/authorize/<token>")
@public
def authorize_link(token: str) -> Response:
    """The landing page of an authorization link: what it connects, and a button."""
    try:
        _link, company = connect.open_link(get_session(), token)
    except ConnectRefused:
        return render("fortnox/link_invalid.html", status=410)
    return render("fortnox/link_landing.html", company=company, token=token)


@bp.get("/fortnox/authorize/<token>/go")
@public
def follow_link(token: str) -> Response:
    """Send the link holder's browser to Fortnox's consent page."""
    try:
        link, company = connect.open_link(get_session(), token)
    except ConnectRefused:
        return render("fortnox/link_invalid.html", status=410)
    return redirect(connect.begin(company, link_id=link.id), 303)


@bp.get("/fortnox/callback")
@public
def callback() -> Response:
    """Fortnox sends the browser back here with a code (or an error) and our state."""
    session = get_session()
    user = current_user if current_user.is_authenticated else None
    try:
        done = connect.complete(
            session,
            state=request.args.get("state", ""),
            code=request.args.get("code", ""),
            error=request.args.get("error", ""),
            user=user,
        )
    except ConnectRefused as err:
        return render("fortnox/callback_refused.html", reason=str(err).split(":")[0], status=400)
    after_change(session, done.company_id)  # pre-flight now; held closures may move again
    session.commit()
    if done.via_link or user is None:
        return render("fortnox/connected.html", done=done)
    if done.orgnr_differs:
        flash(
            _(
                "Connected to %(name)s, whose organisation number %(orgnr)s differs from "
                "this company's. Nothing is posted until you confirm below that it is the right "
                "Fortnox company.",
                name=done.fortnox_name,
                orgnr=done.fortnox_orgnr or "—",
            ),
            "warning",
        )
    else:
        flash(_("Connected to Fortnox: %(name)s.", name=done.fortnox_name), "success")
    return redirect(url_for("fortnox.index", company_id=done.company_id), 303)
