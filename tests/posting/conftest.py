"""Posting fixtures: a company with stores, the BAS mapping and (optionally) a connection."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from app.closures.models import Closure
from app.companies.models import Company
from app.fortnox.models import FortnoxConnection
from app.mapping.models import MappingVersion
from tests.closure_strategies import BAS_MAPPING
from tests.factories import make_company, make_store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "closures"


def fixture(name: str, **changes: Any) -> dict[str, Any]:
    """A closure from tests/fixtures/closures, with top-level fields changed."""
    payload = json.loads((FIXTURES / f"{name}.json").read_text())
    payload.update(copy.deepcopy(changes))
    return payload


def mapping_data(**extra: Any) -> dict[str, Any]:
    """The SPEC's BAS mapping with every store the tests use."""
    data = copy.deepcopy(BAS_MAPPING)
    data["stores"] = {s: {"name": s, "cost_center": s} for s in ("S12", "S20", "S30", "S40")}
    data.update(extra)
    return data


def save_mapping(session: Session, company: Company, data: dict[str, Any]) -> MappingVersion:
    """Store the next mapping version directly."""
    last = session.exec(select(MappingVersion).where(MappingVersion.company_id == company.id)).all()
    row = MappingVersion(company_id=company.id, version=len(last) + 1, data=data)
    session.add(row)
    session.commit()
    return row


def connect(session: Session, company: Company, status: str = "connected") -> None:
    """Mark the company's Fortnox connection as given (the posting checks read only status)."""
    query = select(FortnoxConnection).where(FortnoxConnection.company_id == company.id)
    conn = session.exec(query).first() or FortnoxConnection(company_id=company.id)
    conn.status = status
    session.add(conn)
    session.commit()


@pytest.fixture(autouse=True)
def _app_context(app) -> Iterator[None]:
    """Posting services run inside an app context, as in a request or a job."""
    with app.app_context():
        yield


@pytest.fixture
def books(app, session: Session) -> Company:
    """A connected company with stores S12, S20, S30, S40 and the BAS mapping."""
    company = make_company(session, cash_threshold=Decimal("100.00"))
    for code in ("S12", "S20", "S30", "S40"):
        make_store(session, company, code, name=f"Store {code}")
    save_mapping(session, company, mapping_data())
    connect(session, company)
    return company


@pytest.fixture
def receive(app, session: Session) -> Callable[..., Closure]:
    """Store a closure row as ingest does and hand it to the posting engine, then commit."""
    from app.posting.service import on_closure_received

    def make(company: Company, payload: dict[str, Any], commit: bool = True) -> Closure:
        with app.app_context():
            from app.companies.models import Store

            store = session.exec(
                select(Store).where(
                    Store.company_id == company.id, Store.store_id == payload["store_id"]
                )
            ).first()
            older = session.exec(
                select(Closure).where(
                    Closure.company_id == company.id,
                    Closure.closure_id == payload["closure_id"],
                    Closure.is_latest.is_(True),
                )
            ).all()
            for row in older:
                row.is_latest = False
                session.add(row)
            closure = Closure(
                company_id=company.id,
                store_pk=store.id if store else None,
                closure_id=payload["closure_id"],
                revision=payload.get("revision", 1),
                store_code=payload["store_id"],
                register_id=payload["register_id"],
                z_number=payload["z_number"],
                business_date=date.fromisoformat(payload["business_date"]),
                payload=payload,
                payload_hash=str(hash(json.dumps(payload, sort_keys=True))),
            )
            session.add(closure)
            session.flush()
            on_closure_received(session, closure.id)
            if commit:
                session.commit()
            return closure

    return make
