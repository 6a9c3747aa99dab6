"""Mapping versions, their comparison, and `kassabok.mapping/1` download and upload."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_htmx import make_response
from flask_login import current_user

from app import htmx_events
from app.auth.scoping import ADMINS, role_in
from app.converters import id_arg
from app.db import get_session
from app.extensions import htmx
from app.fortnox import chart as fortnox_chart
from app.mapping import chart as charts
from app.mapping import service
from app.mapping.blueprint import bp
from app.mapping.schema import Problem
from app.mapping.views import company_or_404, editor_context, page_context
from app.render import render


@bp.get("/versions")
def versions(company_id: int) -> Response:
    """The list of mapping versions."""
    company = company_or_404(company_id)
    ctx = page_context(company)
    return render("mapping/versions.html", "mapping/_versions.html", company=company, **ctx)


def _version_arg(name: str, default: int | None) -> int | None:
    """A version number from the query string; one no column can hold is a 404."""
    raw = request.args.get(name)
    if raw is None:
        return default
    number = id_arg(raw)
    if number is None:
        abort(404)
    return number


@bp.get("/compare")
def compare(company_id: int) -> Response:
    """A diff table between two versions (`a` old, `b` new; 0 is the empty mapping)."""
    company = company_or_404(company_id)
    session = get_session()
    all_versions = service.list_versions(session, company_id)
    newest = all_versions[0].version if all_versions else 0
    a, b = _version_arg("a", max(newest - 1, 0)), _version_arg("b", newest)
    old, new = (service.get_version(session, company_id, v) if v else None for v in (a, b))
    if (a and old is None) or (b and new is None):
        abort(404)
    rows = service.diff_mappings(old.data if old else None, new.data if new else None)
    return render(
        "mapping/compare.html",
        "mapping/_diff.html",
        company=company,
        versions=all_versions,
        a=a,
        b=b,
        old=old,
        new=new,
        rows=rows,
    )


@bp.get("/export")
def export(company_id: int) -> Response:
    """Download the mapping (newest, or `?version=N`) as a `kassabok.mapping/1` file."""
    company = company_or_404(company_id)
    version = _version_arg("version", None)
    if version is not None and service.get_version(get_session(), company_id, version) is None:
        abort(404)
    data = service.export_mapping(get_session(), company_id, version)
    body = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    name = f"mapping-{company.orgnr}" + (f"-v{version}" if version else "") + ".json"
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _read_upload() -> tuple[Any, list[Problem]]:
    """The uploaded file's JSON, or why it could not be read."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None, [Problem("", _("Choose a kassabok.mapping/1 JSON file to import."))]
    try:
        return json.loads(upload.read().decode("utf-8")), []
    except UnicodeDecodeError:
        return None, [Problem("", _("The file is not UTF-8 text."))]
    except json.JSONDecodeError as exc:
        msg = _(
            "Not valid JSON: %(e)s (line %(l)s, column %(c)s).",
            e=exc.msg,
            l=exc.lineno,
            c=exc.colno,
        )
        return None, [Problem("", msg)]


def _with_nearest(refused: charts.Refused) -> Problem:
    """An account the file names that Fortnox lacks, with the nearest ones it has."""
    near = ", ".join(f"{a.number} {a.description}" for a in refused.nearest)
    if not near:
        return Problem(refused.path, refused.message)
    return Problem(refused.path, refused.message + " " + _("Nearest: %(a)s.", a=near))


@bp.post("/import")
def import_file(company_id: int) -> Response:
    """Import an uploaded mapping file: all of it, or nothing and every problem listed."""
    company = company_or_404(company_id, edit=True)
    session = get_session()
    data, problems = _read_upload()
    if not problems:
        try:
            result = service.apply_import(
                session,
                company=company,
                data=data,
                user=current_user,
                chart=fortnox_chart.load_chart(session, company),
                confirmed=request.form.get("confirm_accounts") == "1",
                may_change_stores=role_in(session, current_user, company) in ADMINS,
            )
        except service.AccountsNotInChart as exc:
            problems = [_with_nearest(r) for r in exc.refused]
        except service.MappingInvalid as exc:
            problems = exc.problems
    if problems:
        session.rollback()
        ctx = {**editor_context(company), **page_context(company), "import_problems": problems}
        return render("mapping/index.html", "mapping/_import.html", status=422, **ctx)
    session.commit()
    message = _("Imported as version %(v)s.", v=result.version.version)
    created = [c.store_id for c in result.stores if c.created]
    changed = [c.store_id for c in result.stores if not c.created]
    if created:
        message += " " + _("Stores created: %(s)s.", s=", ".join(created))
    if changed:
        message += " " + _("Stores updated: %(s)s.", s=", ".join(changed))
    if not htmx or htmx.boosted:
        flash(message, "success")
        return redirect(url_for("mapping.index", company_id=company_id), 303)  # type: ignore[return-value]
    ctx = {"company": company, "import_message": message, "can_edit": True}
    html = render("mapping/_import.html", None, **ctx).get_data(as_text=True)
    trigger = {htmx_events.MAPPING_SAVED: {"version": result.version.version}}
    return make_response(html, trigger=trigger)


@bp.get("/editor")
def editor(company_id: int) -> Response:
    """The editor fragment alone, for refreshing after an import."""
    company = company_or_404(company_id)
    return render("mapping/_editor.html", None, **editor_context(company))
