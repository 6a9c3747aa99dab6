"""In real Chromium: the month grid, a filter in the URL, a cell's panel, a review; no CSP error."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session
from werkzeug.serving import make_server

from tests.factories import PASSWORD, make_company, make_user
from tests.reconcile.seeding import seed_month

pytestmark = pytest.mark.e2e
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(os.environ.get("KASSABOK_SCREENSHOTS", "/tmp/kassabok-shots"))
MONTH = date.today().replace(day=1)


@pytest.fixture
def live(app: Flask) -> Iterator[str]:
    """The portal on a free port, with CSRF on as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium at /usr/bin/chromium")
def test_dashboard_grid_panel_and_review(live: str, session: Session) -> None:
    """The dashboard works in a browser with htmx and without inline script or style."""
    from playwright.sync_api import expect, sync_playwright

    company = make_company(session)
    seed_month(session, company, 12, MONTH, days=min(24, date.today().day + 20))
    make_user(session, "eva@example.se", company, "accountant")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(f"{live}/auth/login")
        page.fill("#email", "eva@example.se")
        page.fill("#password", PASSWORD)
        page.click("form.login-form button[type=submit]")
        page.goto(f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}")
        expect(page.locator(f"#cell-S01-{MONTH.replace(day=3)}")).to_have_class("cell st-mismatch")
        page.screenshot(path=str(SHOTS / "reconcile-dashboard.png"), full_page=True)

        page.select_option("select[name=status]", "duplicate")  # htmx, URL pushed
        expect(page).to_have_url(
            f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}&status=duplicate&store="
        )
        page.evaluate("window.__stillHere = true")
        page.locator(f"#cell-S01-{MONTH.replace(day=3)} a").click()
        panel = page.locator("#panel")
        expect(panel.locator("h2")).to_contain_text("S01")
        expect(panel.locator("tr.is-diff").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "reconcile-panel.png"), full_page=True)
        panel.locator("input[name=comment]").fill("Checked with the store manager.")
        panel.locator("text=Mark reviewed").click()
        expect(panel.locator(".recon-reviews")).to_contain_text("Checked with the store manager.")
        expect(page.locator(f"#cell-S01-{MONTH.replace(day=3)}")).to_have_class(
            "cell st-mismatch is-reviewed"
        )
        assert page.evaluate("window.__stillHere") is True  # no full reload
        browser.close()
    assert not [m for m in problems if "Content Security Policy" in m or "Refused" in m], problems
