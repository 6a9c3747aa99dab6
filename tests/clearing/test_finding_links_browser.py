"""In Chromium: the planted January's findings each lead to the day that shows their cause."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from app.companies.models import Company
from tests.clearing.month import MISSING, Month
from tests.e2e.browser import BOUND, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_the_missing_payout_and_the_short_deposit_open_their_days(
    live: str,
    session,
    company: Company,
    month: Month,
    new_page: Callable[..., Any],
    shots: Path,
) -> None:
    out = Path("/tmp/kb/SW") if Path("/tmp/kb").exists() else shots
    out.mkdir(exist_ok=True)
    make_user(session, "acc@example.com", company, "accountant", locale="sv")
    page = new_page(viewport={"width": 1366, "height": 1100}, locale="sv-SE")
    sign_in(page, live, "acc@example.com")
    page.goto(f"{live}/c/{company.id}/clearing?month=2026-01")
    page.wait_for_function(BOUND)
    findings = page.locator(".clearing-findings li")
    expect(findings.filter(has=page.locator("a.clearing-finding-link"))).to_have_count(
        findings.count()
    )
    page.locator("#account-1580").screenshot(path=str(out / "clearing-finding-links-sv.png"))
    page.locator('[data-kind="payout_missing"] a.clearing-finding-link').click()
    expect(page.locator("#clearing-day h1")).to_contain_text("S01")
    expect(page.locator("#clearing-day .problems")).to_contain_text(f"{MISSING}:")
    expect(page.locator("#day-lines")).to_contain_text(MISSING)
    page.screenshot(path=str(out / "clearing-missing-payout-day-sv.png"), full_page=True)
    page.go_back()
    page.locator('[data-kind="deposit_short"] a.clearing-finding-link').click()
    expect(page.locator("#clearing-day")).to_have_attribute("data-status", "short")
    expect(page.locator("#clearing-day h1")).to_contain_text("S02")
    page.screenshot(path=str(out / "clearing-short-deposit-day-sv.png"), full_page=True)
    page.goto(f"{live}/c/{company.id}/bank")
    expect(page.locator("h1")).to_have_text("Kontoutdrag och avräkningar")
    expect(page.locator(".evidence-tabs [aria-current=page]")).to_have_text(
        "Kontoutdrag och avräkningar"
    )
    expect(page.locator(".company-nav [aria-current=page]")).to_have_text("Bank")
    page.screenshot(path=str(out / "bank-heading-sv.png"))
