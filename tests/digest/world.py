"""A company with something of every status that needs someone, and a member of every kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from app.closures.models import Closure, ClosureState
from app.reconcile.models import ClosureCheck
from tests.factories import make_closure, make_company, make_store, make_user

S = ClosureState


def checked(session: Session, found: Closure, status: str) -> None:
    """Record found's last reconciliation as status (for its current state)."""
    session.add(
        ClosureCheck(
            company_id=found.company_id,
            closure_pk=found.id,
            business_date=found.business_date,
            store_code=found.store_code,
            status=status,
            state_version=found.state_version,
        )
    )
    session.commit()


@dataclass
class World:
    """Café Centrum AB with stores S12 and S14, and a member of every kind."""

    company: Any
    s12: Any
    s14: Any


def build_world(session: Session) -> World:
    """S12: held (Sep 14), missing (Oct 2), awaiting approval (Nov 3); S14: failed (Nov 20).

    Erik (accountant, English), Maja (manager of S12, Swedish), Ada (accountant of a quiet
    company), and Anna (admin, Swedish).
    """
    company = make_company(session)
    s12, s14 = make_store(session, company), make_store(session, company, "S14", "Café Hamnen")
    make_closure(session, company, s12, date(2026, 9, 14), S.HELD, hold_code="mapping")
    posted = make_closure(session, company, s12, date(2026, 10, 2), S.POSTED, voucher_number=7)
    checked(session, posted, "missing")
    make_closure(session, company, s12, date(2026, 11, 3), S.AWAITING_APPROVAL)
    make_closure(session, company, s14, date(2026, 11, 20), S.FAILED)
    make_user(session, "erik@example.se", company, "accountant", locale="en")
    make_user(session, "maja@example.se", company, "store_manager", stores=[s12], locale="sv")
    make_user(session, "anna@example.se", company, "admin", locale="sv")
    quiet = make_company(session, "Tyst AB", "559012-3450")
    make_user(session, "ada@example.se", quiet, "accountant")
    return World(company, s12, s14)
