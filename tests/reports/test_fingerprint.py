"""The fingerprint covers the period's closures and statuses, not who ordered or when."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app.closures.models import Closure
from app.reconcile.models import ClosureCheck, StoreDayCheck
from app.reports.data import report_rows
from app.reports.fingerprint import canonical, current
from tests.reports.sample import add_closure, variant


def print_of(session: Session, month) -> str:
    """The fingerprint of the month as it stands in the database now."""
    return current(session, month.company.orgnr, month.scope)


def one(session: Session, store, day: date) -> Closure:
    """The newest revision of store's closure on day."""
    return session.exec(
        select(Closure).where(
            Closure.store_pk == store.id, Closure.business_date == day, Closure.is_latest
        )
    ).one()


def test_same_data_same_print(session, month) -> None:
    """Computed twice, and after touching nothing the report covers: the same."""
    first = print_of(session, month)
    assert print_of(session, month) == first
    note = one(session, month.stores[0], date(2026, 10, 3))
    note.note = "counted twice"  # not part of the covered data
    session.commit()
    assert print_of(session, month) == first


def test_a_change_in_the_period_changes_it(session, month) -> None:
    """A new state, a voucher, a new revision: each gives a new print."""
    seen = {print_of(session, month)}
    closure = one(session, month.stores[1], date(2026, 10, 20))
    closure.state = "failed"
    session.commit()
    seen.add(print_of(session, month))
    closure.state, closure.voucher_number = "posted", 777
    session.commit()
    seen.add(print_of(session, month))
    newer = variant(month.stores[1], date(2026, 10, 20), closure.z_number, 2, revision=2)
    closure.is_latest = False
    add_closure(session, month.company, month.stores[1], newer, voucher=778)
    session.commit()
    seen.add(print_of(session, month))
    assert len(seen) == 4


def test_a_new_reconciliation_result_changes_it(session, month) -> None:
    """A closure found mismatched, or a store-day's Fortnox total moving, is new data."""
    seen = {print_of(session, month)}
    check = session.exec(select(ClosureCheck)).first()
    check.status = "missing"
    session.commit()
    seen.add(print_of(session, month))
    day = session.exec(select(StoreDayCheck)).first()
    day.fortnox_total += 1
    session.commit()
    seen.add(print_of(session, month))
    day.checked_at = day.checked_at.replace(year=2030)  # when it was checked is not data
    session.commit()
    seen.add(print_of(session, month))
    assert len(seen) == 3


def test_a_change_outside_the_period_does_not(session, month) -> None:
    """A closure on 1 November, and changes to it, leave October's print alone."""
    before = print_of(session, month)
    nov = variant(month.stores[0], date(2026, 11, 1), 2000, 1)
    added = add_closure(session, month.company, month.stores[0], nov, voucher=5000)
    session.commit()
    assert print_of(session, month) == before
    added.state = "failed"
    session.commit()
    assert print_of(session, month) == before


def test_canonical_form_is_plain_sorted_json(session, month) -> None:
    """An auditor can recompute it: compact JSON, sorted keys, one array per revision."""
    rows = report_rows(session, month.scope)
    raw = canonical(month.company.orgnr, month.scope, ["S12", "S13"], rows)
    assert raw.startswith(b'{"breaks":[],"closures":[["opn-7731:S12:R1:Z1000",1,"')
    assert b'"company":"556677-8899","days":[],"from":"2026-10-01",' in raw
    assert b'"schema":"kassabok.report-data/2"' in raw
    assert b'"stores":"all","to":"2026-10-31","vat":[]}' in raw


def test_a_tie_out_of_the_periods_month_changes_it_and_of_another_not(session, month) -> None:
    """The PDF says whether and when October's VAT was tied out: a new reading is new data."""
    from app.evidence.models import VatTieout

    before = print_of(session, month)
    session.add(VatTieout(company_id=month.company.id, month="2026-11", result={"rates": []}))
    session.commit()
    assert print_of(session, month) == before
    october = VatTieout(company_id=month.company.id, month="2026-10", result={"rates": []})
    session.add(october)
    session.commit()
    ran = print_of(session, month)
    assert ran != before
    october.result = {"rates": [{"rate": "25", "difference": "1.00"}]}
    session.commit()
    assert print_of(session, month) not in (before, ran)
