"""What the closure page shows: the closure, its sums, its revisions and its live posting status."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app import events
from app.closures import service
from app.closures.models import Closure
from app.companies.models import Company


def closure_page(session: Session, company: Company, closure: Closure) -> dict[str, Any]:
    """The context of closures/show.html, with the parts higher areas add (posting's status)."""
    ctx: dict[str, Any] = {"company": company, "closure": closure, "show_posting": False}
    for part in events.announce(events.CLOSURE_PAGE, session, company, closure):
        ctx |= part
    return ctx | {
        "summary": service.payload_summary(closure.payload),
        "revisions": service.revisions(session, closure),
    }
