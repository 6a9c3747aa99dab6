"""Posting's part of a closure's account for the POS API: the reason and Fortnox's documents."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.closures.models import Closure
from app.posting.models import PostedDocument
from app.posting.reasons import english


def account_part(session: Session, closure: Closure) -> dict[str, Any]:
    """The reason in English (the API's language) and the invoices (events.CLOSURE_ACCOUNT)."""
    return {
        "reason": english(closure.state_reason) or None,
        "invoices": documents(session, closure),
    }


def documents(session: Session, closure: Closure) -> list[dict[str, Any]]:
    """The invoices and orders Fortnox numbered for the closure's sales on account."""
    rows = session.exec(
        select(PostedDocument)
        .where(PostedDocument.closure_pk == closure.id, col(PostedDocument.number).is_not(None))
        .order_by(col(PostedDocument.id))
    ).all()
    return [{"type": row.kind, "number": row.number} for row in rows]
