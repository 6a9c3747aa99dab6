"""End to end against the Fortnox sandbox: post, change the story in Fortnox, see the status."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from app.closures.models import Closure
from app.reconcile import service
from app.reconcile.models import ClosureCheck, StoreDayCheck
from tests.posting.conftest import fixture
from tests.posting.sandbox_support import day_closure, drain

SIE = """#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#DIM 1 "Kostnadsställe"
#VER A "" {day} "Dagskassa S12"
{{
{rows}
}}
"""


def _days(n: int) -> list[date]:
    """The n days before today, oldest first (all in this financial year or the last)."""
    return [date.today() - timedelta(days=n - i) for i in range(n)]


def _post_month(app, session: Session, fx, receive, days: int = 6) -> list[Closure]:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    made = []
    for z, day in enumerate(_days(days), start=100):
        for store in ("S12", "S14"):
            made.append(receive(fx.company, day_closure(store, z, day.isoformat(), rng)))
    drain(app, session)
    for closure in made:
        session.refresh(closure)
        assert closure.state == "posted", closure.state_reason
    return made


def _status(session: Session, closure: Closure) -> ClosureCheck:
    session.expire_all()
    return session.exec(select(ClosureCheck).where(ClosureCheck.closure_pk == closure.id)).one()


def _day(session: Session, store: str, day: date) -> StoreDayCheck:
    return session.exec(
        select(StoreDayCheck).where(
            StoreDayCheck.store_code == store, StoreDayCheck.business_date == day
        )
    ).one()


def test_posted_month_matches_and_a_second_run_is_a_handful_of_requests(
    app, session, fx, receive
) -> None:
    made = _post_month(app, session, fx, receive)
    lo, hi = date.today() - timedelta(days=30), date.today()  # a month's reconciliation
    fx.sandbox.reset_stats()
    first = service.reconcile(session, fx.company.id, lo, hi)
    first_stats = fx.sandbox.stats()
    assert first.closures == {"matched": len(made)}, first.text()
    assert set(first.days) == {"matched"}
    fx.sandbox.reset_stats()
    second = service.reconcile(session, fx.company.id, lo, hi)
    stats = fx.sandbox.stats()
    print(f"\nfirst run: {first_stats['total']} requests; second run: {stats['total']} requests")
    print(f"second run endpoints: {stats['endpoints']}")
    assert second.closures == {"matched": len(made)}
    assert stats["total"] <= 4, stats


def test_sie_import_manual_entry_and_missing_voucher(app, session, fx, receive) -> None:
    made = _post_month(app, session, fx, receive, days=3)
    lo, hi = _days(3)[0], _days(3)[-1]
    service.reconcile(session, fx.company.id, lo, hi)
    s12 = next(c for c in made if c.store_code == "S12" and c.business_date == lo)
    s14 = next(c for c in made if c.store_code == "S14" and c.business_date == hi)
    gone = next(c for c in made if c.store_code == "S12" and c.business_date == hi)
    # the same day imported again by SIE, on the store's cost center
    voucher = fx.fortnox("GET", f"vouchers/A/{s12.voucher_number}", financialyear=s12.voucher_year)[
        "Voucher"
    ]
    rows = "\n".join(
        f'#TRANS {r["Account"]} {{1 "S12"}} '
        f"{Decimal(str(r['Debit'])) - Decimal(str(r['Credit'])):.2f}"
        for r in voucher["VoucherRows"]
    )
    fx.sandbox.import_sie(fx.tenant, SIE.format(day=lo.strftime("%Y%m%d"), rows=rows), "A")
    # a hand-made entry on S14's cost center
    fx.fortnox(
        "POST",
        "vouchers",
        {
            "Voucher": {
                "Description": "Kaffe till personalen",
                "TransactionDate": hi.isoformat(),
                "VoucherSeries": "A",
                "VoucherRows": [
                    {"Account": 5460, "CostCenter": "S14", "Debit": 120, "Credit": 0},
                    {"Account": 1910, "CostCenter": "S14", "Debit": 0, "Credit": 120},
                ],
            }
        },
    )
    # a voucher we recorded that Fortnox does not hold
    gone.voucher_number = 9999
    session.add(gone)
    session.commit()
    summary = service.reconcile(session, fx.company.id, lo, hi)
    assert _status(session, s12).status == "duplicate"
    assert _day(session, "S14", hi).status == "mismatch"
    assert _day(session, "S14", hi).differs
    lines = {x["account"]: x for x in _day(session, "S14", hi).detail["lines"]}
    assert Decimal(lines["5460"]["actual"]) == Decimal("120.00")
    assert _status(session, s14).status == "matched"
    assert _status(session, gone).status == "missing"
    assert summary.closures["duplicate"] == 1 and summary.closures["missing"] == 1


def test_cancelled_invoice(app, session, fx, receive) -> None:
    company = fx.company
    company.invoice = company.tip_on_invoice = True
    session.add(company)
    session.commit()
    closure = receive(company, fixture("cafe-full-day"))
    drain(app, session)
    day = closure.business_date
    assert service.after_post(session, closure.id) == "matched"
    found = fx.fortnox("GET", "invoices", externalinvoicereference1="KB:S12-Z457-r1:R1-104233")
    number = found["Invoices"][0]["DocumentNumber"]
    fx.fortnox("PUT", f"invoices/{number}/cancel")
    service.reconcile(session, company.id, day, day)
    check = _status(session, closure)
    assert check.status == "mismatch"
    assert check.detail["documents"][0]["status"] == "cancelled"
