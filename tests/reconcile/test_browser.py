"""In real Chromium: the month grid, a filter in the URL, a cell's panel, a review; no CSP error."""

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


def test_dashboard_grid_panel_and_review(
    live: str, session: Session, new_page: Callable[..., Any], shots: Path
) -> None:
    """The dashboard works in a browser with htmx and without inline script or style."""
    company = make_company(session)
    seed_month(session, company, 12, MONTH, days=min(24, date.today().day + 20))
    make_user(session, "eva@example.se", company, "accountant")
    page = new_page(viewport={"width": 1500, "height": 1100})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live, "eva@example.se")
    page.goto(f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}")
    expect(page.locator(f"#cell-S01-{MONTH.replace(day=3)}")).to_have_class("cell st-mismatch")
    page.screenshot(path=str(shots / "reconcile-dashboard.png"), full_page=True)

    page.select_option("select[name=status]", "duplicate")  # htmx, URL pushed
    expect(page).to_have_url(
        f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}&status=duplicate&store="
    )
    page.evaluate("window.__stillHere = true")
    page.locator(f"#cell-S01-{MONTH.replace(day=3)} a").click()
    panel = page.locator("#panel")
    expect(panel.locator("h2")).to_contain_text("S01")
    expect(panel.locator("tr.is-diff").first).to_be_visible()
    page.screenshot(path=str(shots / "reconcile-panel.png"), full_page=True)
    panel.locator("input[name=comment]").fill("Checked with the store manager.")
    panel.locator("text=Mark reviewed").click()
    expect(panel.locator(".recon-reviews")).to_contain_text("Checked with the store manager.")
    expect(page.locator(f"#cell-S01-{MONTH.replace(day=3)}")).to_have_class(
        "cell st-reviewed is-reviewed is-dim"  # reviewed; dimmed: the board shows duplicates
    )
    assert page.evaluate("window.__stillHere") is True  # no full reload
    assert not [m for m in problems if "Content Security Policy" in m or "Refused" in m], problems
