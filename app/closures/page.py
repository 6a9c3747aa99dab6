"""What the closure page shows: the closure, its sums, its revisions and its live posting status."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlmodel import Session

from app.closures import service
from app.closures.models import Closure
from app.companies.models import Company


def closure_page(session: Session, company: Company, closure: Closure) -> dict[str, Any]:
    """The context of closures/show.html (the posting status too, when that area is there)."""
    ctx: dict[str, Any] = {"company": company, "closure": closure, "show_posting": False}
    if "posting.status" in current_app.view_functions:
        from app.posting.views import status_context

        ctx |= status_context(session, company, closure) | {"show_posting": True}
    return ctx | {
        "summary": service.payload_summary(closure.payload),
        "revisions": service.revisions(session, closure),
    }
