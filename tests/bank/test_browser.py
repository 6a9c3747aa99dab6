"""In Chromium at 1366x900: the bank page after a refused statement and after a good import."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from app.companies.models import Company
from tests.bank.camt_builder import day_statement
from tests.bank.test_camt053 import XXE
from tests.e2e.browser import BOUND, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def out(shots: Path) -> Path:
    """Screenshots for the engineer to look at (/tmp/kb/C when it exists), else the test's dir."""
    chosen = Path(os.environ.get("KASSABOK_C_SHOTS", "/tmp/kb/C"))
    if chosen.parent.exists():
        chosen.mkdir(exist_ok=True)
        return chosen
    return shots


def test_the_bank_page_shows_a_refused_and_a_good_statement(
    live: str,
    session: Session,
    company: Company,
    new_page: Callable[..., Any],
    out: Path,
    tmp_path: Path,
) -> None:
    make_user(session, "acc@example.com", company, "accountant", locale="sv")
    hostile, good = tmp_path / "fientlig.xml", tmp_path / "kontoutdrag-2026-11-26.xml"
    hostile.write_bytes(XXE)
    good.write_bytes(day_statement(version=8))
    page = new_page(viewport={"width": 1366, "height": 900}, locale="sv-SE")
    sign_in(page, live, "acc@example.com")
    page.goto(f"{live}/c/{company.id}/bank")
    page.wait_for_function(BOUND)
    page.set_input_files("#statement-file", str(hostile))
    page.click("#upload-statement button[type=submit]")
    result = page.locator("#bank-result")
    expect(result).to_have_attribute("data-outcome", "invalid")
    expect(result).to_contain_text("DOCTYPE")
    page.screenshot(path=str(out / "bank-refused.png"), full_page=True)
    page.wait_for_function(BOUND)
    page.set_input_files("#statement-file", str(good))
    page.click("#upload-statement button[type=submit]")
    expect(result).to_have_attribute("data-outcome", "created")
    expect(page.locator("#statement-imports tbody tr")).to_have_count(2)
    page.screenshot(path=str(out / "bank-imported.png"), full_page=True)


@pytest.fixture
def admin_page(live: str, session: Session, company: Company, new_page: Callable[..., Any]) -> Any:
    """The company's bank page in Chromium, signed in as its admin."""
    make_user(session, "admin@example.com", company, "admin")
    page = new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, live, "admin@example.com")
    page.goto(f"{live}/c/{company.id}/bank")
    return page


def test_two_files_of_one_payout_then_a_late_line_on_the_bank_page(
    admin_page: Any, out: Path, tmp_path: Path
) -> None:
    from tests.bank.test_open_payouts import EVENING, MORNING, NEW_SALE, csv

    page = admin_page
    result = page.locator("#bank-result")
    steps = [
        ("batch412-morning.csv", MORNING, "created", "2 line(s)", 1),
        ("batch412-evening.csv", EVENING, "created", "1 line(s) an earlier file brought", 2),
        ("batch412-late.csv", csv(NEW_SALE), "conflict", "Payout 412 is closed", 3),
    ]
    for name, raw, outcome, words, files in steps:
        path = tmp_path / name
        path.write_bytes(raw)
        page.wait_for_function(BOUND)
        page.select_option("#settlement-profile", "adyen")
        page.set_input_files("#settlement-file", str(path))
        page.click("#upload-settlement button[type=submit]")
        expect(result).to_have_attribute("data-outcome", outcome)
        expect(result).to_contain_text(name)
        expect(result).to_contain_text(words)
        expect(page.locator("#settlement-imports tbody tr")).to_have_count(files)
        page.screenshot(path=str(out / f"bank-payout-{outcome}-{files}.png"), full_page=True)
    expect(page.locator("#settlement-imports")).to_contain_text("+ 1 held already")
