"""In Chromium, Swedish and English: a month's Swish days on the money-arrived page and the
settings page's Swish numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session

from app.clearing.service import recompute
from app.clearing.settings import add_swish_number
from app.companies.models import Company
from tests.clearing.swish_month import NUMBERS, swish_in_books
from tests.e2e.browser import BOUND, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.e2e
OUT = Path("/tmp/kb/SW")


@pytest.fixture
def out(shots: Path) -> Path:
    """/tmp/kb/SW when /tmp/kb exists (where the lead reads them), else the session's shots."""
    chosen = OUT if OUT.parent.exists() else shots
    chosen.mkdir(exist_ok=True)
    return chosen


@pytest.fixture
def swish_company(app: Flask, session: Session, company: Company) -> Company:
    """The Swish month with the Swish numbers named for S01 and S02."""
    swish_in_books(app, session, company)
    for store, number in NUMBERS.items():
        add_swish_number(session, company_id=company.id, number=number, code=store, user=None)
    recompute(session, company.id or 0)
    session.commit()
    return company


@pytest.mark.parametrize(
    ("locale", "short", "settled"),
    [("sv", "75,00 kr för lite", "Avräknat"), ("en", "Short by SEK", "Settled")],
)
def test_swish_days_read_right(
    live: str,
    session: Session,
    swish_company: Company,
    new_page: Callable[..., Any],
    out: Path,
    locale: str,
    short: str,
    settled: str,
) -> None:
    company = swish_company
    make_user(session, f"acc-{locale}@example.com", company, "accountant", locale=locale)
    page = new_page(viewport={"width": 1366, "height": 900}, locale=f"{locale}-SE")
    sign_in(page, live, f"acc-{locale}@example.com")
    page.goto(f"{live}/c/{company.id}/clearing?month=2026-01")
    page.wait_for_function(BOUND)
    swish = page.locator("#account-1930")
    expect(swish.locator('[data-kind="swish_short"]')).to_contain_text("S02")
    expect(
        page.locator('#day-S02-2026-01-20 a[data-method="SWISH"] + [data-status]')
    ).to_contain_text(short)
    refund = page.locator('#day-S01-2026-01-14 a[data-method="SWISH"] + [data-status]')
    expect(refund).to_have_attribute("data-status", "settled")
    expect(refund).to_contain_text(settled)
    expect(page.locator("#clearing-credits")).to_contain_text("123 999 99 99")
    swish.scroll_into_view_if_needed()
    page.screenshot(path=str(out / f"swish-month-{locale}.png"))
    page.locator("#day-S02-2026-01-19").scroll_into_view_if_needed()
    page.screenshot(path=str(out / f"swish-days-{locale}.png"))
    page.locator('#day-S02-2026-01-20 a[data-method="SWISH"]').click()
    expect(page.locator("#clearing-day")).to_have_attribute("data-status", "short")
    expect(page.locator("#day-entries")).to_contain_text("DAGSSUMMA 2026-01-20")
    page.screenshot(path=str(out / f"swish-day-{locale}.png"), full_page=True)
    page.goto(f"{live}/c/{company.id}/clearing/settings")
    page.wait_for_function(BOUND)
    expect(page.locator("#clearing-swish-numbers tbody tr")).to_have_count(2)
    expect(page.locator('#clearing-swish-unknown [data-number="1239999999"]')).to_be_visible()
    page.locator("#swish-number").fill("123 45")
    page.locator("#swish-number").press("Enter")
    expect(page.locator("#swish-err")).to_contain_text("123")
    page.locator("#clearing-swish").screenshot(path=str(out / f"swish-settings-{locale}.png"))
