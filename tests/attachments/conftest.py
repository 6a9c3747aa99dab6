"""Posting closures to the sandbox and putting their Z-reports on the vouchers."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session

from app.closures.models import Closure, ClosureState
from tests.posting import conftest as posting
from tests.posting.conftest import fixture
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401

receive = posting.receive  # the posting tests' fixture: a closure stored as ingest does
EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "contract" / "examples"


def with_z_report(**changes: Any) -> dict[str, Any]:
    """The contract's example closure that carries the register's own Z-report PDF."""
    payload = json.loads((EXAMPLE / "cafe-z-report.json").read_text())
    payload.update(changes)
    return payload


def sent_pdf(payload: dict[str, Any]) -> bytes:
    """The PDF bytes the POS sent in a closure."""
    return base64.b64decode(payload["z_report"]["data"])


def stored_closure(session: Session, payload: dict[str, Any], day: date | None = None) -> Closure:
    """A closure of a new company's store S12, stored as received (not posted)."""
    from tests.factories import make_company, make_store

    company = make_company(session)
    store = make_store(session, company, "S12", "Café Centrum")
    closure = Closure(
        company_id=company.id,
        store_pk=store.id,
        closure_id=payload["closure_id"],
        store_code="S12",
        register_id="R1",
        z_number=payload["z_number"],
        business_date=day or date.fromisoformat(payload["business_date"]),
        payload=payload,
        payload_hash="b" * 64,
    )
    session.add(closure)
    session.commit()
    return closure


@pytest.fixture
def post(app: Flask, session: Session, books: Any, receive: Callable) -> Callable[..., Closure]:
    """Receive a closure and run the posting jobs until it is posted."""

    def run(payload: dict[str, Any]) -> Closure:
        closure = receive(books.company, payload)
        drain(app, session)
        session.refresh(closure)
        assert closure.state == ClosureState.POSTED, closure.state_reason
        return closure

    return run


@pytest.fixture
def attach(app: Flask, session: Session) -> Callable[[int], str]:
    """Run the attaching of one closure revision now, as its job does."""
    from app.attachments.service import attach as run

    def go(closure_pk: int) -> str:
        with app.app_context():
            outcome = run(session, closure_pk)
        session.expire_all()
        return outcome

    return go


__all__ = ["fixture", "receive", "sent_pdf", "stored_closure", "with_z_report"]
