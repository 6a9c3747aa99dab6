"""Mapping fixtures: a company with a store, one user per role, closures with chosen codes."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session

from app.closures.models import Closure
from app.companies.models import Company
from tests.factories import make_company, make_store, make_user

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "closures"
ROLES = ("admin", "accountant", "store_manager", "auditor")


def fixture(name: str = "cafe-full-day", **changes: Any) -> dict[str, Any]:
    """A closure payload from tests/fixtures/closures with top-level fields changed."""
    payload = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    payload.update(copy.deepcopy(changes))
    return payload


@pytest.fixture(autouse=True)
def _app_context(app: Flask) -> Iterator[None]:
    """Services run inside the app, as views, commands and jobs call them."""
    with app.app_context():
        yield


@pytest.fixture
def company(session: Session) -> Company:
    """Café Centrum AB with store S12, and a member per role (<role>@example.com)."""
    company = make_company(session)
    store = make_store(session, company)
    for role in ROLES:
        stores = [store] if role == "store_manager" else None
        make_user(session, f"{role}@example.com", company, role, stores)
    return company


@pytest.fixture
def add_closure(session: Session) -> Callable[..., Closure]:
    """Store a closure (latest revision) of company from a payload."""

    def add(company: Company, payload: dict[str, Any], **fields: Any) -> Closure:
        raw = json.dumps(payload, sort_keys=True)
        closure = Closure(
            company_id=company.id,
            closure_id=payload["closure_id"],
            revision=payload.get("revision", 1),
            store_code=payload["store_id"],
            register_id=payload["register_id"],
            z_number=payload["z_number"],
            business_date=date.fromisoformat(payload["business_date"]),
            payload=payload,
            payload_hash=hashlib.sha256(raw.encode()).hexdigest(),
            **fields,
        )
        session.add(closure)
        session.commit()
        return closure

    return add
