"""Bank pages: upload statements and settlement reports, list the imports, describe a format."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask import Response, abort, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import Session

from app.auth.scoping import ADMINS, EDITORS, READERS, company_for, role_in
from app.bank import settlements, statements
from app.bank.blueprint import bp
from app.bank.models import BankStatementFile, SettlementFile
from app.bank.profile_form import definition_from_form, form_from_definition
from app.bank.profiles import ProfileProblems, shipped_profiles
from app.bank.receive import ImportResult, get_file, list_files
from app.companies.models import Company
from app.db import get_session
from app.render import render

PAGE = "/c/<int:company_id>/bank"
RAW = {
    "statements": (BankStatementFile, "application/xml", "xml"),
    "settlements": (SettlementFile, "text/csv", "csv"),
}


def _lists(session: Session, company: Company, **ctx: Any) -> dict[str, Any]:
    """What the imports section shows: both lists, the profiles, and what the user may do."""
    return {
        "company": company,
        "statement_files": list_files(session, BankStatementFile, company),
        "settlement_files": list_files(session, SettlementFile, company),
        "profiles": settlements.profiles_for(session, company),
        "can_upload": role_in(session, current_user, company) in EDITORS,
        "result": None,
        "kind": "",
        "error": "",
        **ctx,
    }


@bp.get(PAGE)
@login_required
def index(company_id: int) -> Response:
    """The company's statement and settlement imports, newest first, with the upload forms."""
    session = get_session()
    company = company_for(session, current_user, company_id, *READERS)
    return render("bank/index.html", "bank/_imports.html", **_lists(session, company))


def _shown(
    session: Session, company: Company, kind: str, result: ImportResult[Any] | None, error: str = ""
) -> Response:
    """The imports section (the page without htmx) with what became of the upload."""
    session.commit()
    ctx = _lists(session, company, result=result, kind=kind, error=error)
    return render("bank/index.html", "bank/_imports.html", **ctx)


def _upload(company_id: int, kind: str, missing: str, run: Callable[..., Any]) -> Response:
    """Import the uploaded file with run(session, company, raw, name); show what became of it."""
    session = get_session()
    company = company_for(session, current_user, company_id, *EDITORS)
    file = request.files.get("file")
    if file is None or not file.filename:
        return _shown(session, company, kind, None, missing)
    return _shown(session, company, kind, run(session, company, file.read(), file.filename))


@bp.post(f"{PAGE}/statements")
@login_required
def upload_statement(company_id: int) -> Response:
    """Import an uploaded camt.053 file and show what became of it."""

    def run(session: Session, company: Company, raw: bytes, name: str) -> ImportResult[Any]:
        return statements.import_statement(
            session, company=company, raw=raw, filename=name, source="upload", user=current_user
        )

    return _upload(company_id, "statement", _("Choose a camt.053 file to upload."), run)


@bp.post(f"{PAGE}/settlements")
@login_required
def upload_settlement(company_id: int) -> Response:
    """Import an uploaded settlement CSV with the chosen profile and show what became of it."""
    profile = request.form.get("profile", "").strip()

    def run(session: Session, company: Company, raw: bytes, name: str) -> ImportResult[Any]:
        return settlements.import_settlement(
            session,
            company=company,
            raw=raw,
            profile=profile,
            filename=name,
            source="upload",
            user=current_user,
        )

    return _upload(company_id, "settlement", _("Choose a settlement CSV file."), run)


@bp.get(f"{PAGE}/<any(statements, settlements):what>/<int:pk>/raw")
@login_required
def raw_file(company_id: int, what: str, pk: int) -> Response:
    """Download a received statement or settlement file byte for byte."""
    session = get_session()
    company = company_for(session, current_user, company_id, *READERS)
    model, mimetype, suffix = RAW[what]
    row = get_file(session, model, company, pk) or abort(404)
    name = f"{what[:-1]}-{row.id}.{suffix}"
    return send_file(io.BytesIO(row.raw), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.route(f"{PAGE}/profiles", methods=["GET", "POST"])
@login_required
def profiles(company_id: int) -> Response:
    """Describe a settlement format the shipped profiles do not cover (admins)."""
    session = get_session()
    company = company_for(session, current_user, company_id, *ADMINS)
    problems: list[str] = []
    saved = ""
    if request.method == "POST":
        form = {"header": "", "minor_units": "", **request.form.to_dict()}
        try:
            row = settlements.save_profile(
                session,
                company=company,
                name=form.get("name", ""),
                definition=definition_from_form(form),
                user=current_user,
            )
        except ProfileProblems as error:
            problems = error.problems
        else:
            session.commit()
            saved, form = row.name, form_from_definition(row.name, row.definition)
    else:
        start = settlements.profiles_for(session, company).get(request.args.get("from", ""))
        form = form_from_definition(start.name, start.as_dict()) if start else {}
    status = 422 if problems else 200
    return render(
        "bank/profiles.html",
        "bank/_profile_form.html",
        status=status,
        company=company,
        form=form,
        problems=problems,
        saved=saved,
        own=settlements.company_profiles(session, company),
        shipped=shipped_profiles(),
    )
