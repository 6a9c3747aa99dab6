"""In Chromium: the bank page's fee vouchers after an upload, posted, nothing to post and held."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from tests.bank.conftest import settlement_file
from tests.e2e.browser import BOUND, sign_in
from tests.factories import make_user
from tests.fees.conftest import adyen_file, adyen_payout, drain_fees
from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.fixture
def out(shots: Path) -> Path:
    """Screenshots for the engineer to look at (/tmp/kb/E when it exists), else the test's dir."""
    chosen = Path("/tmp/kb/E")
    if chosen.parent.exists():
        chosen.mkdir(exist_ok=True)
        return chosen
    return shots


def _upload(page: Any, path: Path) -> None:
    page.wait_for_function(BOUND)
    page.select_option("#settlement-profile", "adyen")
    page.set_input_files("#settlement-file", str(path))
    page.click("#upload-settlement button[type=submit]")


def test_the_bank_page_shows_each_payouts_fee_voucher(
    app,
    live_on_books: str,
    session: Session,
    books,
    new_page: Callable[..., Any],
    out: Path,
    tmp_path: Path,
) -> None:
    company = books.company
    make_user(session, "acc@example.com", company, "accountant", locale="sv")
    adyen = tmp_path / "adyen-batch-412.csv"
    adyen.write_bytes(settlement_file("adyen-settlement-details.csv"))
    others = tmp_path / "adyen-batch-600-601.csv"
    others.write_bytes(
        adyen_file(
            adyen_payout("600", "2026-11-28", [("visa", "250.00", "0.00")]),
            adyen_payout("601", "2015-06-30", [("mc", "99.00", "1.78")]),  # no financial year
        )
    )
    page = new_page(viewport={"width": 1366, "height": 900}, locale="sv-SE")
    sign_in(page, live_on_books, "acc@example.com")
    page.goto(f"{live_on_books}/c/{company.id}/bank")
    _upload(page, adyen)
    expect(page.locator("#bank-result")).to_have_attribute("data-outcome", "created")
    expect(page.locator("#payout-fees tbody tr[data-state=queued]")).to_have_count(1)
    _upload(page, others)
    expect(page.locator("#payout-fees tbody tr")).to_have_count(3)
    drain_fees(app, session)
    # The section polls itself while one is pending: it shows the posted voucher by itself.
    expect(
        page.locator(
            "#payout-fees tr[data-state=posted] .fortnox-link, "
            "#payout-fees tr[data-state=posted] .fortnox-number"
        )
    ).to_have_count(1)
    expect(page.locator("#payout-fees tr[data-state=nothing]")).to_have_count(1)
    held = page.locator("#payout-fees tr[data-state=held]")
    expect(held).to_contain_text("2015-06-30")
    expect(held.locator("button")).to_have_count(1)
    page.locator("#payout-fees").scroll_into_view_if_needed()
    page.screenshot(path=str(out / "bank-fee-vouchers.png"), full_page=True)
