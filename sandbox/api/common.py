"""What every /3/ resource shares: the guard, scopes, bodies, query parameters, pagination."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from werkzeug.datastructures import MultiDict

from sandbox import conform, jsonio, oauth, query, validation
from sandbox.errors import ApiError, error_response, unauthorized
from sandbox.store import current_store

bp = Blueprint("api", __name__, url_prefix="/3")
LASTMODIFIED_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


store = current_store


def tenant() -> int:
    """The tenant of the bearer token."""
    return int(g.grant["tenant"])


def root() -> str:
    """The API base URL for @url values."""
    return request.url_root + "3/"


@bp.before_request
def guard() -> Response | None:
    """Bearer token, then the rate limit, then any injected fault."""
    grant = oauth.bearer_grant()
    if grant is None:
        return unauthorized()
    g.grant = grant
    # Per client and tenant (Fortnox "Rate limits"): a new or refreshed token shares the window.
    limiter = current_app.extensions["sandbox.limiter"]
    limited = limiter.check(f"{grant['client_id']}:{grant['tenant']}")
    if limited is not None:
        return limited
    fault = current_app.extensions["sandbox.faults"].before_request()
    if fault is not None:
        return fault
    strict = current_app.extensions["sandbox.options"].strict_params
    try:
        g.args = query.read(request.method, request.path, request.args, strict)
    except ApiError as exc:
        return exc.response()
    return None


def args() -> MultiDict:
    """The query parameters Fortnox reads on this path, by lower-case name (sandbox.query)."""
    return g.args


NOT_FOUND = {
    "customer": "customer_not_found",
    "invoice": "invoice_not_found",
    "order": "order_not_found",
}


def find(kind: str, key: str, what: str) -> dict:
    """A stored document of this tenant, or Fortnox's not-found error (recorded where known)."""
    found = store().get(tenant(), kind, key)
    if found is None:
        raise ApiError(NOT_FOUND.get(kind, "not_found"), value=f"{what} {key}")
    return found


def requires(*scopes: str) -> Callable:
    """Refuse the view unless the token holds one of the scopes."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            held = set(g.grant["scope"].split())
            if not held.intersection(scopes):
                return error_response("missing_scope")
            return view(*args, **kwargs)

        return wrapper

    return decorate


def body() -> Any:
    """The JSON request body; Fortnox's errors for an empty or broken one."""
    data = request.get_data()
    if not data.strip():
        raise ApiError("no_data")
    try:
        return jsonio.loads(data)
    except ValueError as exc:
        raise ApiError("bad_json") from exc


def arg_int(name: str, default: int | None = None) -> int | None:
    """An integer query parameter."""
    value = args().get(name)
    if value is None or value == "":
        return default
    if not value.strip().isdigit():
        raise ApiError("bad_parameter", value=name)
    return int(value)


def arg_date(name: str) -> str | None:
    """A YYYY-MM-DD query parameter."""
    value = args().get(name)
    if not value:
        return None
    try:
        return validation.day(value, name)
    except ApiError as exc:
        raise ApiError("bad_parameter", value=name) from exc


def arg_lastmodified() -> str | None:
    """The lastmodified parameter in the store's timestamp format."""
    value = args().get("lastmodified")
    if not value:
        return None
    for fmt in LASTMODIFIED_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).strftime("%Y-%m-%d %H:%M:%S.%f")
        except ValueError:
            continue
    raise ApiError("bad_parameter", value="lastmodified")


def listing(items: list[dict], wrapper: str) -> Response:
    """One page of a list with Fortnox's MetaInformation (limit default 100, max 500)."""
    limit = arg_int("limit", 100) or 0
    if not 1 <= limit <= 500:
        raise ApiError("bad_parameter", value="limit")
    page = arg_int("page", 1) or 0
    if page < 1:
        raise ApiError("bad_parameter", value="page")
    offset = arg_int("offset")
    start = offset if offset is not None else (page - 1) * limit
    meta = {
        "@TotalResources": len(items),
        "@TotalPages": math.ceil(len(items) / limit),
        "@CurrentPage": page,
    }
    return answer({"MetaInformation": meta, wrapper: items[start : start + limit]})


def single(wrapper: str, item: dict, status: int = 200) -> Response:
    """One resource in its singular wrapper."""
    return answer({wrapper: item}, status)


def answer(body: dict, status: int = 200) -> Response:
    """A successful answer held to the path's response schema in the spec (sandbox.conform)."""
    return jsonio.respond(conform.answer(request.method, request.path, status, body), status)


def sort_items(items: list[dict], fields: dict[str, str]) -> list[dict]:
    """Apply sortby (a lower-case key of fields) and sortorder=ascending|descending."""
    sortby = args().get("sortby")
    if sortby:
        if sortby not in fields:
            raise ApiError("bad_parameter", value="sortby")
        items = sorted(items, key=lambda item: _sort_key(item.get(fields[sortby])))
    if args().get("sortorder") == "descending":
        items = list(reversed(items))
    return items


def _sort_key(value: Any) -> tuple[int, Any]:
    """Numbers before text, each in its own order."""
    if isinstance(value, str) and value.isdigit():
        return (0, int(value))
    return (1, str(value)) if not isinstance(value, int) else (0, value)


def match_args(items: list[dict], fields: dict[str, str]) -> list[dict]:
    """Keep items answering each given search parameter (param -> field; text with ILIKE)."""
    for param, field in fields.items():
        wanted = args().get(param)
        if wanted is not None and wanted != "":
            items = [item for item in items if query.matches(param, wanted, item.get(field))]
    return items
