"""The one helper that answers a full page or, to htmx, just its fragment."""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, render_template

from app.extensions import htmx


def render(page: str, partial: str | None = None, status: int = 200, **ctx: Any) -> Response:
    """Render `partial` for an htmx (non-boosted) request, else the full `page`."""
    fragment = bool(partial) and bool(htmx) and not htmx.boosted
    response = make_response(render_template(partial if fragment else page, **ctx), status)
    if partial:
        response.vary.add("HX-Request")
    return response
