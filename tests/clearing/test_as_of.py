"""The current month's roll-forward is worked out as of today, as the day grid is."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlmodel import Session

from app.clearing.models import ClearingDay
from app.clearing.read import day_rows, roll_forwards, stored
from app.clearing.service import recompute
from app.companies.models import Company
from app.reports.fingerprint import current
from app.reports.models import Report
from app.reports.service import run_report, scope_of
from tests.clearing.month import build_month, import_files, store_in_books
from tests.closures.ingest_support import bearer, make_token
from tests.factories import make_user
from tests.reports.test_pdf import pdf_text

TODAY = date(2026, 1, 20)  # a Tuesday: week 3's card batch and cash are in, 19-20 January not


@pytest.fixture
def midmonth(app: Flask, session: Session, company: Company, monkeypatch) -> Company:
    """January 2026 up to TODAY, the files as they stood then, matched as of TODAY."""
    built = build_month(stores=2, plant=False, until=TODAY)
    store_in_books(session, company, built)
    with app.app_context():
        import_files(session, company, built)
    recompute(session, company.id or 0, today=TODAY)
    session.commit()
    monkeypatch.setattr("app.clearing.views.swedish_today", lambda: TODAY)
    return company


def test_the_months_roll_forward_agrees_with_the_day_grid_today(
    session: Session, midmonth: Company
) -> None:
    cid = midmonth.id or 0
    grid = {
        (r.store_code, r.business_date, r.method): r.status
        for r in day_rows(session, cid, date(2026, 1, 1), date(2026, 1, 31))
    }
    assert grid[("S01", TODAY, "CARD")] == grid[("S01", TODAY, "CASH")] == "in_transit"
    days, payouts = stored(session, cid)
    accounts = roll_forwards(days, payouts, date(2026, 1, 1), date(2026, 1, 31), TODAY)
    assert {a.account for a in accounts} == {"1580", "1910"}
    for rf in accounts:
        assert rf.hi == TODAY and rf.findings == [], rf.findings  # nothing is late yet
        assert rf.in_transit == rf.closing > 0 and rf.unexplained == 0
    waiting = {k for k, status in grid.items() if status == "in_transit"}
    assert {(s, d) for s, d, _m in waiting} == {
        (s, d) for s in ("S01", "S02") for d in (date(2026, 1, 19), TODAY)
    }
    assert roll_forwards(days, payouts, date(2026, 2, 1), date(2026, 2, 28), TODAY) == []


def test_the_page_shows_the_month_as_of_today_and_a_later_month_as_nothing_yet(
    client: FlaskClient, auth, session: Session, midmonth: Company
) -> None:
    make_user(session, "acc@example.com", midmonth, "accountant")
    auth.login("acc@example.com")
    page = client.get(f"/c/{midmonth.id}/clearing?month=2026-01").get_data(as_text=True)
    assert 'data-as-of="2026-01-20"' in page and 'data-status="in_transit"' in page
    assert "data-kind=" not in page  # no finding: no day late, no payout missing
    assert re.findall(r'data-difference="([^"]+)"', page) == ["0.00", "0.00"]
    later = client.get(f"/c/{midmonth.id}/clearing?month=2026-02").get_data(as_text=True)
    assert "Nothing yet: this month has not begun." in later and "account-1580" not in later


def test_the_api_works_the_month_out_as_of_today(
    client: FlaskClient, session: Session, midmonth: Company, monkeypatch
) -> None:
    monkeypatch.setattr("app.clearing.api.swedish_today", lambda: TODAY)
    headers = bearer(make_token(session, midmonth))
    body = client.get("/api/v1/clearing?from=2026-01-01&to=2026-02-28", headers=headers).json
    assert {(r["from"], r["to"]) for r in body["roll_forward"]} == {("2026-01-01", "2026-01-20")}
    assert [f for r in body["roll_forward"] for f in r["findings"]] == []
    assert {d["status"] for d in body["unmatched"]["days"]} == {"in_transit"}


def test_an_outcome_matched_on_an_earlier_day_is_matched_afresh_before_it_is_shown(
    client: FlaskClient, auth, session: Session, midmonth: Company, monkeypatch
) -> None:
    session.execute(
        update(ClearingDay)
        .where(ClearingDay.company_id == midmonth.id)
        .values(computed_at=datetime(2026, 1, 20, 12, tzinfo=UTC))
    )
    session.commit()
    later = date(2026, 1, 28)  # 19 and 20 January were due on the 26th and 27th
    monkeypatch.setattr("app.clearing.views.swedish_today", lambda: later)
    make_user(session, "acc@example.com", midmonth, "accountant")
    auth.login("acc@example.com")
    page = client.get(f"/c/{midmonth.id}/clearing?month=2026-01").get_data(as_text=True)
    assert 'data-as-of="2026-01-28"' in page
    assert 'data-status="in_transit"' not in page and 'data-status="late"' in page
    assert 'data-kind="late"' in page  # the roll-forward says what the grid says


def test_a_report_built_on_a_later_day_matches_afresh_first(
    app: Flask, session: Session, midmonth: Company, monkeypatch, tmp_path: Path
) -> None:
    """The auditor's PDF tells what the page tells that day: 19-20 January late, not in transit."""
    session.execute(
        update(ClearingDay)
        .where(ClearingDay.company_id == midmonth.id)
        .values(computed_at=datetime(2026, 1, 20, 12, tzinfo=UTC))
    )
    report = Report(company_id=midmonth.id or 0, period_start=date(2026, 1, 1),
                    period_end=date(2026, 1, 31), language="en")  # fmt: skip
    session.add(report)
    session.commit()
    monkeypatch.setattr("app.reports.service.swedish_today", lambda: date(2026, 1, 28))
    with app.app_context():
        built = run_report(session, report.id or 0)
    assert built is not None and built.status == "done", built and built.error
    session.expire_all()
    grid = day_rows(session, midmonth.id or 0, date(2026, 1, 19), TODAY)
    assert {r.status for r in grid} == {"late"}  # what the build's clearing section read
    scope = scope_of(built)
    assert current(session, midmonth.orgnr, scope) == built.fingerprint  # and it is not stale
    text = pdf_text((Path(app.config["REPORTS_DIR"]) / built.filename).read_bytes(), tmp_path)
    assert "late S01 2026-01-20 Cash" in text and "in transit S01" not in text


def test_a_batch_the_acquirer_has_not_paid_out_is_late_and_its_fees_not_yet_taken(
    session: Session, midmonth: Company
) -> None:
    cid, later = midmonth.id or 0, date(2026, 1, 28)
    recompute(session, cid, today=later)
    days, payouts = stored(session, cid)
    (unpaid,) = [p for p in payouts if p.kind == "payout" and not p.how]
    assert unpaid.pay_date is None and unpaid.fees > 0  # sale lines only: no payout row yet
    accounts = roll_forwards(days, payouts, date(2026, 1, 1), date(2026, 1, 31), later)
    (card,) = [rf for rf in accounts if rf.account == "1580"]
    assert [(f.kind, f.reference) for f in card.findings] == [("payout_late", unpaid.reference)]
    assert card.fees == sum(p.fees for p in payouts if p.kind == "payout" and p.pay_date)
    assert card.unexplained == 0
    grid = day_rows(session, cid, date(2026, 1, 19), TODAY, methods={"CARD"})
    assert {r.status for r in grid} == {"late"}
