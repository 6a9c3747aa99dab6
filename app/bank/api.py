"""The bank API: a camt.053 statement or a settlement CSV posted with the company's API token."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from app.audit.service import record
from app.bank.blueprint import bp
from app.bank.settlements import import_settlement, settlement_answer
from app.bank.statements import import_statement, statement_answer
from app.closures.api import authenticate
from app.closures.problems import _
from app.companies.models import Company
from app.db import get_session
from app.extensions import csrf

BANK_MAX_BODY = 20 * 1024 * 1024  # a month's statement for many stores is larger than a closure


def _error(status: int, message: str) -> Response:
    """A JSON error answer in the API's one shape."""
    response = jsonify({"message": message, "errors": [{"where": "", "message": message}]})
    response.status_code = status
    return response


def _body() -> tuple[bytes, str]:
    """The file sent: the raw body, or the part named file of a multipart form."""
    request.max_content_length = current_app.config.get("BANK_MAX_BODY", BANK_MAX_BODY)
    if request.mimetype == "multipart/form-data":
        part = request.files.get("file")
        if part is not None:
            return part.read(), part.filename or ""
    return request.get_data(cache=False), request.args.get("filename", "")


def _receive(kind: str) -> tuple[Company, str, bytes, str] | Response:
    """The token's company, who sent it, and the file; or the 401/413 to answer."""
    session = get_session()
    token = authenticate(session)
    if isinstance(token, Response):
        return token
    company = session.get(Company, token.company_id)
    actor = f"api token {token.prefix}"
    try:
        raw, filename = _body()
    except RequestEntityTooLarge:
        limit = request.max_content_length
        record(
            session,
            action=f"bank.{kind}_refused",
            company_id=token.company_id,
            actor=actor,
            target=f"{kind}:-",
            detail={"status": 413, "size": request.content_length},
        )
        session.commit()
        msg = _("The file is larger than the limit of {0} bytes; send one period per file.")
        return _error(413, msg.format(limit))
    return company, actor, raw, filename  # type: ignore[return-value]


def _take(kind: str, run: Callable[[Company, str, bytes, str], tuple[int, dict]]) -> Response:
    """Authenticate, read the file, import it with run, and answer with its status and body."""
    received = _receive(kind)
    if isinstance(received, Response):
        return received
    status, body = run(*received)
    get_session().commit()
    response = jsonify(body)
    response.status_code = status
    return response


@bp.post("/api/v1/bank-statements")
def statements_api() -> Response:
    """Take one camt.053 bank statement file: 201 new, 200 the same again, 409, 422."""

    def run(company: Company, actor: str, raw: bytes, filename: str) -> tuple[int, dict]:
        result = import_statement(
            get_session(), company=company, raw=raw, filename=filename, source="api", actor=actor
        )
        return result.status_code, statement_answer(result)

    return _take("statement", run)


@bp.post("/api/v1/settlements")
def settlements_api() -> Response:
    """Take one settlement CSV read with ?profile=NAME: 201 new, 200 the same again, 409, 422."""
    profile = request.args.get("profile", "").strip()

    def run(company: Company, actor: str, raw: bytes, filename: str) -> tuple[int, dict]:
        result = import_settlement(
            get_session(),
            company=company,
            raw=raw,
            profile=profile,
            filename=filename,
            source="api",
            actor=actor,
        )
        return result.status_code, settlement_answer(result)

    return _take("settlement", run)


csrf.exempt(statements_api)
csrf.exempt(settlements_api)
