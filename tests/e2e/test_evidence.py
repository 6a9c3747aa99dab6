"""In Chromium at 1366 px: a register's Z-chain with a gap, a jump and a reset, one explained;
the month's VAT tie-out with a hand entry flagged as a deviation. axe clean; screenshots kept."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session

from tests.e2e.axe import assert_accessible
from tests.e2e.browser import BOUND, sign_in
from tests.evidence.support import day
from tests.factories import make_user
from tests.posting.conftest import receive  # noqa: F401
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401
from tests.sandbox_fixtures import fortnox_company, point_app_at, sandbox  # noqa: F401

pytestmark = pytest.mark.e2e
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def out(shots: Path) -> Path:
    """Screenshots for the engineer to look at (/tmp/kb/G2 when /tmp/kb exists), else shots."""
    chosen = Path(os.environ.get("KASSABOK_G2_SHOTS", "/tmp/kb/G2"))
    if chosen.parent.exists():
        chosen.mkdir(exist_ok=True)
        return chosen
    return shots


def _month() -> date:
    """Last month: wholly past, in a financial year the sandbox seeds."""
    return (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)


def _books(app: Flask, session: Session, books: Any, receive: Callable) -> date:  # noqa: F811
    """Register R1 of S12: a jump at Z105, Z106 missing, a reset at Z108; a hand entry off 25 %."""
    month = _month()
    on = [(month + timedelta(days=n)).isoformat() for n in range(1, 8)]
    for payload in (
        day(104, on[0], "1000.00", "0", ("5000.00", "0.00")),
        day(105, on[1], "1000.00", "0", ("6100.00", "0.00")),  # 100.00 more than Z105 sold
        day(107, on[3], "1000.00", "0", ("7600.00", "0.00")),  # Z106 sold 500.00, never sent
        day(108, on[4], "10.00", "0", ("10.00", "0.00")),  # the grand total went down
    ):
        receive(books.company, payload)
    drain(app, session)
    series = {"VoucherSeries": {"Code": "M", "Description": "Manuella", "Manual": True}}
    books.fortnox("POST", "voucherseries", series)
    hand = {"Voucher": {"VoucherSeries": "M", "Description": "Kontantförsäljning utan kassa",
            "TransactionDate": on[6], "VoucherRows": [
                {"Account": 1910, "Debit": 1130.0, "Credit": 0},
                {"Account": 3001, "Debit": 0, "Credit": 1000.0},
                {"Account": 2611, "Debit": 0, "Credit": 130.0}]}}  # fmt: skip
    books.fortnox("POST", "vouchers", hand)
    return month


def test_an_auditor_sees_the_chain_break_explained_and_the_vat_deviation(
    app: Flask,
    live_on_books: str,
    session: Session,
    books: Any,
    receive,  # noqa: F811
    new_page: Callable[..., Any],
    out: Path,
) -> None:
    month = _books(app, session, books, receive)
    company = books.company
    make_user(session, "accountant@example.com", company, "accountant")
    page = new_page(viewport=WIDE, locale="en-GB")
    sign_in(page, live_on_books, "accountant@example.com")

    # 1. The chain: the strip shows the jump, the gap and the reset; the table says what each is.
    page.goto(f"{live_on_books}/c/{company.id}/evidence/chain?month={month:%Y-%m}")
    strip = page.locator(".chain__strip")
    expect(strip.locator(".chain__z--gap")).to_contain_text("Z106")
    expect(strip.locator(".chain__z--break")).to_have_count(2)
    expect(strip).to_contain_text("Grand total jump")
    expect(strip).to_contain_text("Register reset")
    rows = page.locator("table.breaks tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("never reached Kassabok")
    assert_accessible(page, "the Z-chain with three breaks")
    page.screenshot(path=str(out / "g2-1-chain.png"), full_page=True)

    # 2. The accountant explains the gap; it shows as explained, by whom, with the comment.
    gap = rows.filter(has_text="Z missing")
    page.wait_for_function(BOUND)
    gap.locator("textarea").fill("Z106 was a training print on the register; see the log book.")
    gap.locator("button", has_text="Mark explained").click()
    explained = page.locator("table.breaks tbody tr", has_text="Z missing")
    expect(explained.locator(".badge--ok")).to_have_text("Explained")
    expect(explained).to_contain_text("training print")
    expect(page.locator("table.breaks textarea")).to_have_count(2)
    assert_accessible(page, "the Z-chain with one break explained")
    page.screenshot(path=str(out / "g2-2-chain-explained.png"), full_page=True)

    # 3. VAT: read Fortnox and tie out; the hand entry is booked by someone else and deviates.
    page.locator(".evidence-tabs a", has_text="VAT tie-out").click()
    expect(page.locator("h1")).to_have_text("Evidence: VAT that ties out")
    page.wait_for_function(BOUND)
    page.locator("button", has_text="Read Fortnox and tie out").click()
    deviations = page.locator("table.vat-deviations tbody tr")
    expect(deviations).to_have_count(1)
    expect(deviations.first).to_contain_text("Deviation")
    expect(deviations.first).to_contain_text("M 1")
    expect(deviations.first).to_contain_text("13.00 %")
    rates = page.locator("table.vat-rates tbody tr")
    expect(rates.filter(has_text="25 %")).to_contain_text("130.00")
    expect(rates.filter(has_text="12 %")).to_contain_text("Ties out")
    assert_accessible(page, "the VAT tie-out with a deviation")
    page.screenshot(path=str(out / "g2-3-vat.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(out / "g2-4-vat-phone.png"), full_page=True)
    page.goto(f"{live_on_books}/c/{company.id}/evidence/chain?month={month:%Y-%m}")
    expect(page.locator(".chain__z--gap")).to_be_visible()
    assert_accessible(page, "the Z-chain on a phone")
    page.screenshot(path=str(out / "g2-5-chain-phone.png"), full_page=True)

    # 4. In Swedish, for an auditor: reads both pages, explains nothing.
    make_user(session, "revisor@example.com", company, "auditor", locale="sv")
    swedish = new_page(viewport=WIDE, locale="sv-SE")
    sign_in(swedish, live_on_books, "revisor@example.com")
    swedish.goto(f"{live_on_books}/c/{company.id}/evidence/chain?month={month:%Y-%m}")
    expect(swedish.locator("h1")).to_have_text("Underlag: Z-kedjan")
    expect(swedish.locator("table.breaks .badge--ok")).to_have_text("Förklarad")
    expect(swedish.locator("table.breaks textarea")).to_have_count(0)
    assert_accessible(swedish, "the Z-chain in Swedish")
    swedish.screenshot(path=str(out / "g2-6-chain-sv.png"), full_page=True)
    swedish.locator(".evidence-tabs a", has_text="Momsavstämning").click()
    expect(swedish.locator("table.vat-deviations")).to_contain_text("Avvikelse")
    expect(swedish.locator("button", has_text="Läs Fortnox")).to_have_count(0)
    swedish.screenshot(path=str(out / "g2-7-vat-sv.png"), full_page=True)
