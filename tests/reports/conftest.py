"""A seeded October: two stores, every day closed, a hold, a retried failure, a correction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session, select

from app.audit.service import record
from app.closures.models import Closure
from app.companies.models import Company, Store
from app.mapping.models import MappingVersion
from app.mapping.schema import bas_default
from app.reconcile.models import ClosureCheck, Review, StoreDayCheck
from app.reports.data import Scope
from app.reports.models import Report
from tests.factories import make_company, make_store, make_user
from tests.reports.sample import add_closure, seed_month, variant

OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))


@dataclass
class Month:
    """What the seeded month holds."""

    company: Company
    stores: list[Store]
    scope: Scope


def _closure(session: Session, store: Store, day: date) -> Closure:
    return session.exec(
        select(Closure).where(Closure.store_pk == store.id, Closure.business_date == day)
    ).one()


def reconcile(session: Session, company: Company, s12: Store, s13: Store) -> None:
    """What app.reconcile would record: all matched but a mismatch on S13's 20 October."""
    odd = _closure(session, s13, date(2026, 10, 20))
    for c in session.exec(select(Closure).where(Closure.is_latest)).all():
        gross = sum(Decimal(s["gross"]) for s in c.payload["sales"])
        fortnox, status, reason = gross, "matched", ""
        if c.id == odd.id:
            fortnox, status, reason = (
                gross - 100,
                "mismatch",
                "3001 credit: 4 700,00, expected 4 800,00",
            )
        elif c.state == "held":
            fortnox, status = Decimal("0.00"), "held"
        if c.state == "posted":
            session.add(
                ClosureCheck(
                    company_id=company.id,
                    closure_pk=c.id,
                    store_code=c.store_code,
                    business_date=c.business_date,
                    status=status,
                    reason=reason,
                    state_version=c.state_version,
                )
            )
        session.add(
            StoreDayCheck(
                company_id=company.id,
                store_pk=c.store_pk,
                store_code=c.store_code,
                business_date=c.business_date,
                status=status,
                differs=fortnox != gross,
                pos_total=gross,
                fortnox_total=fortnox,
            )
        )
    session.commit()


@pytest.fixture
def month(session: Session) -> Month:
    """S12 (the café day) and S13 (twice its amounts), 1-31 October 2026, plus exceptions."""
    company = make_company(session)
    s12 = make_store(session, company, "S12", "Café Centrum")
    s13 = make_store(session, company, "S13", "Café Hamnen")
    accountant = make_user(session, "anna@cafe.se", company, "accountant")
    mapping = MappingVersion(company_id=company.id, version=1, data=bas_default(), comment="BAS")
    session.add(mapping)
    session.commit()
    seed_month(session, company, [s12, s13], OCTOBER[0], 31)
    held = _closure(session, s12, date(2026, 10, 5))
    held.state, held.voucher_number, held.voucher_series, held.voucher_year = (
        "held",
        None,
        None,
        None,
    )
    held.state_reason = "Payment method AMEX is not mapped"
    record(
        session,
        action="closure.held",
        company_id=company.id,
        actor="worker",
        target=f"closure:{held.id}",
        detail={"reason": held.state_reason},
    )
    retried = _closure(session, s13, date(2026, 10, 7))
    record(
        session,
        action="closure.failed",
        company_id=company.id,
        actor="worker",
        target=f"closure:{retried.id}",
        detail={"error": "Fortnox answered 503"},
    )
    record(
        session,
        action="closure.retry",
        company_id=company.id,
        user=accountant,
        target=f"closure:{retried.id}",
        detail={"state": "queued"},
    )
    old = _closure(session, s12, date(2026, 10, 10))
    old.state, old.is_latest, old.reversal_series, old.reversal_number = (
        "superseded",
        False,
        "A",
        900,
    )
    newer = variant(s12, date(2026, 10, 10), old.z_number, 1, revision=2)
    add_closure(session, company, s12, newer, voucher=901)
    for closure in session.exec(select(Closure)).all():
        closure.mapping_version_id = mapping.id
        session.add(closure)
    session.commit()
    reconcile(session, company, s12, s13)
    session.add(
        Review(
            company_id=company.id,
            store_pk=s13.id,
            store_code="S13",
            business_date=date(2026, 10, 20),
            comment="Row 3001 corrected by hand",
            user_id=accountant.id,
        )
    )
    session.commit()
    return Month(company, [s12, s13], Scope(company.id or 0, *OCTOBER))


@pytest.fixture
def listed(session: Session, month: Month) -> Callable[..., Report]:
    """Adds a report of the month as the list would show it (no PDF is built)."""

    def add(**fields: Any) -> Report:
        report = Report(
            company_id=month.company.id,
            period_start=month.scope.start,
            period_end=month.scope.end,
            **fields,
        )
        session.add(report)
        session.commit()
        return report

    return add
