"""In Chromium, in Swedish: a mismatched, missing, duplicate day's panel says what was found."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from tests.e2e.browser import sign_in
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month

pytestmark = pytest.mark.e2e
MONTH = date.today().replace(day=1)
# (store, day, shot) -> what its panel says in Swedish.
DAYS = {
    ("S01", 3, "mismatch"): "Raderna skiljer sig på konto ",
    ("S01", 5, "missing"): "finns inte i Fortnox.",
    ("S02", 4, "duplicate"): "Bokförd igen utanför Kassabok (samma butik, dag och belopp): I ",
    ("S04", 7, "manual"): "Fortnox har andra belopp på kostnadsställe S04 för denna dag",
}


def test_findings_read_in_swedish_on_the_dashboards_panel(
    live: str, session: Session, new_page: Callable[..., Any], shots: Path
) -> None:
    company = make_company(session)
    seed_month(session, company, 4, MONTH, days=12)
    make_user(session, "eva@example.se", company, "accountant", locale="sv")
    page = new_page(viewport={"width": 1400, "height": 1000})
    sign_in(page, live, "eva@example.se")
    for (store, day, shot), swedish in DAYS.items():
        page.goto(f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}")
        page.locator(f"#cell-{store}-{MONTH.replace(day=day)} a").click()
        panel = page.locator("#panel")
        expect(panel.locator("p.reason").first).to_contain_text(swedish)
        for english in ("Rows differ", "is not in Fortnox", "Booked again", "Fortnox holds"):
            expect(panel).not_to_contain_text(english)
        panel.locator("p.reason").first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"finding-{shot}-sv.png"), full_page=True)
