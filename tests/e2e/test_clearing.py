"""In Chromium, 1366 wide and on a 390x844 phone: the money-arrived page of a planted month."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from app.bank.models import SettlementLine
from app.clearing.models import ClearingDay
from app.clearing.service import recompute
from app.companies.models import Company, Store
from tests.clearing.month import MISSING, build_month, import_files, store_in_books
from tests.e2e.browser import BOUND, sign_in
from tests.factories import make_company, make_user

pytestmark = pytest.mark.e2e
OUT = Path("/tmp/kb/D")


@pytest.fixture
def company(app: Flask, session: Session) -> Company:
    """A company with January 2026 of three stores in the books and the bank."""
    company = make_company(session)
    built = build_month(stores=3)
    store_in_books(session, company, built)
    with app.app_context():
        import_files(session, company, built)
    return company


@pytest.fixture
def out(shots: Path) -> Path:
    """Where the screenshots go: /tmp/kb/D when /tmp/kb exists, else the session's shots."""
    if OUT.parent.exists():
        OUT.mkdir(exist_ok=True)
        return OUT
    return shots


@pytest.mark.parametrize(
    ("name", "viewport"),
    [("desktop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})],
)
def test_the_accountant_reads_the_month_and_drills_down(
    live: str,
    session: Session,
    company: Company,
    new_page: Callable[..., Any],
    out: Path,
    name: str,
    viewport: dict[str, int],
) -> None:
    make_user(session, "acc@example.com", company, "accountant", locale="sv")
    page = new_page(viewport=viewport, locale="sv-SE")
    sign_in(page, live, "acc@example.com")
    page.goto(f"{live}/c/{company.id}/clearing?month=2026-01")
    page.wait_for_function(BOUND)
    card = page.locator("#account-1580")
    expect(card).not_to_have_attribute("data-difference", "0.00")  # the missing payout
    expect(card.locator('[data-kind="payout_missing"]')).to_contain_text(MISSING)
    cash = page.locator("#account-1910")
    expect(cash.locator('[data-kind="deposit_short"]')).to_contain_text("500,00")
    expect(page.locator("#day-S02-2026-01-18 [data-status=short]")).to_contain_text(
        "500,00 kr för lite"
    )
    page.screenshot(path=str(out / f"clearing-{name}.png"), full_page=name == "desktop")
    page.locator('#day-S01-2026-01-21 a[data-method="CARD"]').click()
    expect(page.locator("#clearing-day")).to_have_attribute("data-status", "settled")
    expect(page.locator("#day-entries tbody tr")).to_have_count(2)
    page.screenshot(path=str(out / f"clearing-day-{name}.png"), full_page=True)


def test_a_store_manager_sees_their_cash_not_in_the_bank(
    live: str, session: Session, company: Company, new_page: Callable[..., Any], out: Path
) -> None:
    s02 = session.exec(select(Store).where(Store.store_id == "S02")).one()
    make_user(session, "mgr@example.com", company, "store_manager", stores=[s02], locale="sv")
    page = new_page(viewport={"width": 390, "height": 844}, locale="sv-SE")
    sign_in(page, live, "mgr@example.com")
    page.goto(f"{live}/c/{company.id}/clearing?month=2026-01")
    page.wait_for_function(BOUND)
    expect(page.locator("#clearing-days tbody tr")).to_have_count(1)
    expect(page.locator("#day-S02-2026-01-18")).to_be_visible()
    expect(page.locator(".clearing-account")).to_have_count(0)
    page.screenshot(path=str(out / "clearing-manager-phone.png"), full_page=True)


def test_the_accountant_maps_a_terminal_and_its_day_settles(
    live: str, session: Session, company: Company, new_page: Callable[..., Any]
) -> None:
    day = session.exec(
        select(ClearingDay).where(
            ClearingDay.company_id == company.id,
            ClearingDay.store_code == "S01",
            ClearingDay.method == "CARD",
            ClearingDay.status == "settled",
        )
    ).first()
    assert day is not None
    for line in session.exec(
        select(SettlementLine).where(col(SettlementLine.id).in_(day.line_ids))
    ):
        line.store = "T9"  # the acquirer names the store by a terminal no alias explains yet
        session.add(line)
    recompute(session, company.id or 0)
    session.commit()
    shots = Path("/tmp/kb/H") if Path("/tmp/kb").exists() else OUT
    shots.mkdir(exist_ok=True)
    make_user(session, "acc@example.com", company, "accountant", locale="sv")
    page = new_page(viewport={"width": 1366, "height": 900}, locale="sv-SE")
    sign_in(page, live, "acc@example.com")
    month = day.business_date.strftime("%Y-%m")
    cell = f'#day-S01-{day.business_date.isoformat()} a[data-method="CARD"] + [data-status]'
    page.goto(f"{live}/c/{company.id}/clearing?month={month}")
    page.wait_for_function(BOUND)
    expect(page.locator(cell)).not_to_have_attribute("data-status", "settled")
    page.locator(".clearing-filters").screenshot(path=str(shots / "clearing-filters.png"))
    page.locator("#clearing-settings-link").click()
    expect(page.locator('#clearing-unexplained [data-word="T9"]')).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)  # the settings page, not nested in the month
    page.screenshot(path=str(shots / "clearing-settings-before.png"), full_page=True)
    page.locator('[data-word="T9"] button[value="S01"]').click()
    expect(page.locator("#clearing-aliases")).to_contain_text("T9")
    expect(page.locator('[data-word="T9"]')).to_have_count(0)
    expect(page.locator("h1")).to_have_count(1)
    page.screenshot(path=str(shots / "clearing-settings-after.png"), full_page=True)
    page.goto(f"{live}/c/{company.id}/clearing?month={month}")
    page.wait_for_function(BOUND)
    expect(page.locator(cell)).to_have_attribute("data-status", "settled")
