"""Two companies with real data in each, and a user of every role in the home one."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session, select

from app.auth.models import Membership
from app.closures.models import Closure, RejectedPayload
from app.companies.models import Company
from app.companies.tokens import create_token
from tests.factories import make_company, make_store, make_user

ROLES = ("admin", "accountant", "store_manager", "auditor")
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "closures" / "cafe-full-day.json"


def closure_payload(store: str, z: int, **changes: Any) -> dict[str, Any]:
    """The SPEC's worked example moved to store and Z number, with fields changed."""
    payload = json.loads(FIXTURE.read_text())
    payload.update(closure_id=f"sec:{store}:Z{z}", store_id=store, z_number=z)
    payload.update(copy.deepcopy(changes))
    return payload


@dataclass
class Side:
    """One company's ids: stores by code, a closure per store, a refused payload and more."""

    company: int
    orgnr: str
    token: str
    token_id: int
    stores: dict[str, int] = field(default_factory=dict)
    closures: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    report: int = 0
    membership: int = 0


@dataclass
class World:
    """The home company (users of every role; the store manager holds S1 only) and a foreign one."""

    home: Side
    foreign: Side
    emails: dict[str, str]


def post_closure(client: FlaskClient, token: str, payload: dict[str, Any]) -> Any:
    """Send a closure through the POS API."""
    return client.post(
        "/api/v1/closures", json=payload, headers={"Authorization": f"Bearer {token}"}
    )


def _side(session: Session, client: FlaskClient, company: Company, codes: tuple[str, ...]) -> Side:
    """Stores, a token, a closure per store, a refused payload and a report for company."""
    token, plain = create_token(session, company=company, name="POS", user=None)
    session.commit()
    side = Side(company.id or 0, company.orgnr, plain, token.id or 0)
    for n, code in enumerate(codes):
        side.stores[code] = make_store(session, company, code, f"Butik {code}").id or 0
        assert post_closure(client, plain, closure_payload(code, 100 + n)).status_code == 201
    assert post_closure(client, plain, {"schema": "nonsense"}).status_code == 422
    session.expire_all()
    for row in session.exec(select(Closure).where(Closure.company_id == company.id)).all():
        side.closures[row.store_code] = row.id or 0
    refused = select(RejectedPayload).where(RejectedPayload.company_id == company.id)
    side.refused = session.exec(refused).first().id  # type: ignore[union-attr,assignment]
    side.report = _report(session, company)
    return side


def _report(session: Session, company: Company) -> int:
    """A finished-looking report row of company (0 if reports are not there)."""
    try:
        from app.reports.models import Report
    except ImportError:
        return 0
    row = Report(
        company_id=company.id or 0, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30)
    )
    session.add(row)
    session.commit()
    return row.id or 0


def build_world(session: Session, client: FlaskClient) -> World:
    """Create both companies with their data and the home company's users."""
    home_co = make_company(session, "Hemma AB", "556000-0001")
    foreign_co = make_company(session, "Främmande AB", "556000-0002")
    home = _side(session, client, home_co, ("S1", "S2"))
    foreign = _side(session, client, foreign_co, ("F1",))
    emails = {}
    for role in ROLES:
        email = f"{role}@home.test"
        stores = [home.stores["S1"]] if role == "store_manager" else []
        user = make_user(session, email, home_co, role)
        if stores:
            from app.auth.models import MembershipStore

            m = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
            session.add(MembershipStore(membership_id=m.id, store_id=stores[0]))
            session.commit()
        emails[role] = email
    outsider = make_user(session, "owner@foreign.test", foreign_co, "admin")
    foreign.membership = _membership(session, outsider.id or 0)
    home.membership = _membership(session, _user_id(session, emails["accountant"]))
    return World(home, foreign, emails)


def _user_id(session: Session, email: str) -> int:
    from app.auth.models import User

    return session.exec(select(User.id).where(User.email == email)).one()  # type: ignore[return-value]


def _membership(session: Session, user_id: int) -> int:
    return session.exec(select(Membership.id).where(Membership.user_id == user_id)).one()  # type: ignore[return-value]
