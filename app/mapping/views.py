"""The mapping page: edit accounts, apply the BAS default, quick-map what closures need."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_htmx import make_response
from flask_login import current_user, login_required

from app import htmx_events
from app.auth.scoping import EDITORS, READERS, company_for, role_in
from app.companies.models import Company
from app.db import get_session
from app.extensions import htmx
from app.fortnox import chart as fortnox_chart
from app.mapping import chart as charts
from app.mapping import service
from app.mapping.blueprint import bp
from app.mapping.editor import build_sections, misplaced, parse_form
from app.mapping.schema import Problem, pointer, with_defaults_applied
from app.render import render

# What kind of code a section holds, in words, for the codes closures use that are not mapped.
SECTION_KINDS = {
    "payment_methods": _l("payment method"),
    "sales": _l("product group and VAT rate"),
    "vat": _l("VAT rate"),
    "other": _l("other category"),
}


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every mapping page needs a signed-in user."""


def company_or_404(company_id: int, *, edit: bool = False) -> Company:
    """The company if the user may read (or, with edit, change) its mapping; else 404 or 403."""
    return company_for(get_session(), current_user, company_id, *(EDITORS if edit else READERS))


def can_edit(company: Company) -> bool:
    """True when the user may change this company's mapping."""
    return role_in(get_session(), current_user, company) in EDITORS


def editor_context(
    company: Company,
    data: dict[str, Any] | None = None,
    problems: list[Problem] | None = None,
    refused: list[charts.Refused] | None = None,
    comment: str = "",
    quick: tuple[str, str, str] | None = None,
) -> dict[str, Any]:
    """Everything the editor fragment shows; a quick map's own problem goes beside its field."""
    session = get_session()
    problems = problems or []
    saved = service.current_data(session, company.id or 0)
    chart = fortnox_chart.load_chart(session, company)
    seen = service.seen_in_closures(session, company.id or 0)
    unmapped = service.unmapped(seen, saved)
    quick_errors: dict[tuple[str, str], tuple[str, str]] = {}
    if quick is not None and quick[:2] in {s.section_key for s in unmapped}:
        section, key, typed = quick
        own = [p for p in problems if p.path == pointer(section, key)]
        if own:  # said beside the quick map's field, where the user typed, not at the top
            problems = [p for p in problems if p not in own]
            quick_errors[(section, key)] = (own[0].message, typed)
    sections = build_sections(data if data is not None else saved, seen, problems, chart)
    return {
        "company": company,
        "sections": sections,
        "problems": problems,
        "general_problems": misplaced(problems, sections),
        "unmapped": unmapped,
        "chart": chart,
        "latest": service.latest_mapping(session, company.id or 0),
        "can_edit": can_edit(company),
        "refused": refused or [],
        "comment": comment,
        "quick_errors": quick_errors,
        "section_kinds": SECTION_KINDS,
    }


def _saved(company: Company, version: Any, message: str, level: str = "success") -> Response:
    """After a save: the fresh editor to htmx (with the saved event), else back to the page."""
    if not htmx or htmx.boosted:
        flash(message, level)
        return redirect(url_for("mapping.index", company_id=company.id), 303)  # type: ignore[return-value]
    ctx = editor_context(company)
    html = render("mapping/_editor.html", None, message=message, level=level, **ctx)
    trigger = {htmx_events.MAPPING_SAVED: {"version": version.version}}
    return make_response(html.get_data(as_text=True), trigger=trigger)


def _invalid(
    company: Company,
    data: dict[str, Any],
    exc: service.MappingInvalid,
    comment: str = "",
    quick: tuple[str, str, str] | None = None,
) -> Response:
    """The editor with every problem beside its field (htmx swaps only a 2xx answer)."""
    get_session().rollback()
    refused = getattr(exc, "refused", None)
    ctx = editor_context(company, data, exc.problems, refused, comment, quick)
    status = 200 if htmx and not htmx.boosted else 422
    return render(
        "mapping/index.html", "mapping/_editor.html", status=status, **ctx, **page_context(company)
    )


def page_context(company: Company) -> dict[str, Any]:
    """What the full page adds around the editor: the versions and who saved each."""
    session = get_session()
    versions = service.list_versions(session, company.id or 0)
    return {"versions": versions, "authors": service.authors(session, versions)}


@bp.get("/")
def index(company_id: int) -> Response:
    """The mapping page."""
    company = company_or_404(company_id)
    return render(
        "mapping/index.html",
        "mapping/_editor.html",
        **editor_context(company),
        **page_context(company),
    )


@bp.post("/")
def save(company_id: int) -> Response:
    """Save the form as the next mapping version."""
    company = company_or_404(company_id, edit=True)
    data = parse_form(request.form)
    section, _sep, rest = request.form.get("use", "").partition("|")  # a nearest account chosen
    key, _sep, account = rest.rpartition("|")
    if section in data and key and account:
        data[section][key] = account
    return _store(company, data, request.form.get("comment", ""))


def _store(
    company: Company,
    data: dict[str, Any],
    comment: str,
    quick: tuple[str, str, str] | None = None,
) -> Response:
    """Save data as the next version, or show what is wrong with it (accounts Fortnox lacks too)."""
    session = get_session()
    chart = fortnox_chart.load_chart(session, company)
    confirmed = request.form.get("confirm_accounts") == "1"
    try:
        version = service.save_mapping(
            session,
            company=company,
            data=data,
            user=current_user,
            comment=comment,
            chart=chart,
            confirmed=confirmed,
        )
    except service.MappingInvalid as exc:
        return _invalid(company, data, exc, comment, quick)
    session.commit()
    lacking = charts.refused(chart, service.changed_accounts(None, version.data))
    if confirmed and lacking:
        numbers = ", ".join(sorted({r.number for r in lacking}))
        message = _(
            "Saved as version %(v)s with accounts Fortnox does not have or has inactive: %(a)s."
            " Closures booked through them are held until the account exists in Fortnox.",
            v=version.version,
            a=numbers,
        )
        return _saved(company, version, message, "warning")
    return _saved(company, version, _("Saved as version %(v)s.", v=version.version))


@bp.post("/bas-default")
def bas_default(company_id: int) -> Response:
    """Set every standard key to its BAS account in one click; the company's own codes stay."""
    company = company_or_404(company_id, edit=True)
    current = service.current_data(get_session(), company_id)
    return _store(company, with_defaults_applied(current), _("BAS default applied"))


@bp.post("/quick")
def quick_map(company_id: int) -> Response:
    """Map one code seen in closures to an account."""
    company = company_or_404(company_id, edit=True)
    section, key = request.form.get("section", ""), request.form.get("key", "")
    account = request.form.get("account", "").strip()
    data = service.current_data(get_session(), company_id)
    if section not in data or not key:
        abort(400)
    if not account:
        empty = Problem(
            pointer(section, key),
            _("Type the account %(k)s is booked to (4 digits, e.g. 1580), then Map.", k=key),
        )
        return _invalid(company, data, service.MappingInvalid([empty]), quick=(section, key, ""))
    data[section][key] = account
    return _store(company, data, _("Quick map of %(k)s", k=key), (section, key, account))


@bp.get("/accounts")
def accounts(company_id: int) -> Response:
    """Accounts of the chart matching what is typed, as datalist options."""
    company = company_or_404(company_id)
    query = request.args.get(htmx.trigger_name or "q", "") if htmx else ""
    query = query or request.args.get("q", "")
    chart = fortnox_chart.load_chart(get_session(), company)
    hits = charts.search(chart, query)
    return render("mapping/_account_options.html", None, accounts=hits, chart=chart, q=query)
