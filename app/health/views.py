"""The health check a load balancer or supervisor polls: no sign-in, no secrets, no versions."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from app.auth.scoping import public
from app.health import service

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz() -> Response:
    """200 when the database and Redis answer, else 503 naming the part that did not."""
    body, healthy = service.report()
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    return response
