"""The POS's API: send a closure, read its status; a company API token is the credential."""

from __future__ import annotations

from datetime import timedelta
from typing import IO

from flask import Blueprint, Response, current_app, jsonify, request
from sqlmodel import Session, select
from werkzeug.exceptions import RequestEntityTooLarge

from app.closures.ingest import IngestResult, ingest
from app.closures.models import Closure
from app.closures.problems import _
from app.closures.refused import HEAD_BYTES, refuse_oversized
from app.closures.status import closure_status
from app.companies.models import ApiToken, Company
from app.companies.tokens import live_token
from app.converters import id_arg
from app.db import get_session, utcnow
from app.extensions import csrf

bp = Blueprint("closures_api", __name__, url_prefix="/api/v1/closures")
csrf.exempt(bp)
LAST_USED_EVERY = timedelta(minutes=1)


def _error(status: int, message: str, **headers: str) -> Response:
    """A JSON error answer in the API's one shape."""
    response = jsonify({"message": message, "errors": [{"pointer": "", "message": message}]})
    response.status_code = status
    response.headers.update(headers)
    return response


def authenticate(session: Session) -> ApiToken | Response:
    """The live API token the request carries, or the 401 to answer."""
    found = token_and_company(session)
    return found if isinstance(found, Response) else found[0]


def token_and_company(session: Session) -> tuple[ApiToken, Company] | Response:
    """The live API token the request carries and its company, or the 401 to answer."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        msg = _(
            "Send your company's API token as 'Authorization: Bearer <token>'; an admin "
            "creates one under API tokens."
        )
        return _error(401, msg, **{"WWW-Authenticate": 'Bearer realm="kassabok"'})
    found = live_token(session, token)
    if found is None:
        msg = _("The API token is not valid or was revoked; ask an admin for a new one.")
        challenge = 'Bearer realm="kassabok", error="invalid_token"'
        return _error(401, msg, **{"WWW-Authenticate": challenge})
    api_token, company = found
    now = utcnow()
    # Written at most once a minute: a write per call would queue a token's calls on its row lock.
    if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_EVERY:
        api_token.last_used_at = now
        session.add(api_token)
    return api_token, company


def _read_at_most(stream: IO[bytes], size: int) -> bytes:
    """Up to size bytes of a stream that may return fewer per read (a chunked body)."""
    parts: list[bytes] = []
    while size > 0 and (part := stream.read(min(size, 64 * 1024))):
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _read_body() -> tuple[bytes | None, bytes, int | None]:
    """The body, or (None, its first bytes, its size if known) when it is over the limit."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    length = request.content_length
    stream = request.environ["wsgi.input"]
    if length is not None and limit is not None and length > limit:
        # Werkzeug refuses to read it; the start is kept so the accountant sees what came.
        return None, stream.read(min(length, HEAD_BYTES)), length
    if length is None and limit is not None and request.environ.get("wsgi.input_terminated"):
        # Chunked: Werkzeug's stream ends quietly at the limit, so read one byte past it.
        data = _read_at_most(stream, limit + 1)
        return (None, data[:HEAD_BYTES], None) if len(data) > limit else (data, b"", None)
    try:
        return request.get_data(cache=False), b"", None
    except RequestEntityTooLarge:
        return None, b"", None


@bp.post("")
def create() -> Response:
    """Take one closure from the POS."""
    session = get_session()
    found = token_and_company(session)
    if isinstance(found, Response):
        return found
    token, company = found
    actor = f"api token {token.prefix}"
    raw, head, size = _read_body()
    if raw is None:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        rejected = refuse_oversized(
            session, company=company, head=head, size=size, limit=limit, source="api", actor=actor
        )
        session.commit()
        return _error(413, rejected.errors[0]["message"])
    result: IngestResult = ingest(
        session,
        company=company,
        raw=raw,
        source="api",
        content_type=request.content_type,
        actor=actor,
    )
    session.commit()
    response = jsonify(result.body)
    response.status_code = result.status_code
    if result.closure is not None:
        response.headers["Location"] = result.body["url"]
    return response


@bp.get("/<segment:closure_id>")
def show(closure_id: str) -> Response:
    """A closure's status: its latest revision, or the one asked for with ?revision=N."""
    session = get_session()
    token = authenticate(session)
    if isinstance(token, Response):
        return token
    query = select(Closure).where(
        Closure.company_id == token.company_id, Closure.closure_id == closure_id
    )
    revision = request.args.get("revision")
    if revision is not None and id_arg(revision) is None:
        return _error(404, _("This company has no closure with that closure_id (and revision)."))
    if revision is None:
        query = query.where(Closure.is_latest.is_(True))  # type: ignore[attr-defined]
    else:
        query = query.where(Closure.revision == id_arg(revision))
    closure = session.exec(query.order_by(Closure.revision.desc())).first()  # type: ignore[attr-defined]
    session.commit()
    if closure is None:
        return _error(404, _("This company has no closure with that closure_id (and revision)."))
    from app.attachments.status import api_json

    return jsonify({**closure_status(session, closure), "attachment": api_json(session, closure)})
