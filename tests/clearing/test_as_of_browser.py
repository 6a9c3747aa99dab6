"""In Chromium: this month's money-arrived page, its roll-forward as of today like its day grid."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session

from app.clearing.holidays import swedish_today
from app.companies.models import Company
from tests.clearing.month import build_month, import_files, store_in_books
from tests.e2e.browser import BOUND, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def out(shots: Path) -> Path:
    """/tmp/kb/SW when /tmp/kb exists (where the lead reads them), else the session's shots."""
    chosen = Path("/tmp/kb/SW") if Path("/tmp/kb").exists() else shots
    chosen.mkdir(exist_ok=True)
    return chosen


def test_this_months_roll_forward_agrees_with_the_day_grid(
    app: Flask,
    live: str,
    session: Session,
    company: Company,
    new_page: Callable[..., Any],
    out: Path,
) -> None:
    today = swedish_today()
    built = build_month(stores=2, year=today.year, month=today.month, plant=False, until=today)
    store_in_books(session, company, built)
    with app.app_context():
        import_files(session, company, built)  # matched as of today by the import's listener
    make_user(session, "acc@example.com", company, "accountant", locale="sv")
    page = new_page(viewport={"width": 1366, "height": 1100}, locale="sv-SE")
    sign_in(page, live, "acc@example.com")
    page.goto(f"{live}/c/{company.id}/clearing")
    page.wait_for_function(BOUND)
    expect(page.locator("#clearing-as-of")).to_have_attribute("data-as-of", today.isoformat())
    cell = page.locator(f'#day-S01-{today.isoformat()} a[data-method="CARD"] + [data-status]')
    expect(cell).to_have_attribute("data-status", "in_transit")
    expect(page.locator("#account-1580")).to_have_attribute("data-difference", "0.00")
    expect(page.locator("#account-1910")).to_have_attribute("data-difference", "0.00")
    expect(page.locator("[data-kind]")).to_have_count(0)  # nothing late, no payout missing
    page.screenshot(path=str(out / "clearing-this-month-sv.png"), full_page=True)
