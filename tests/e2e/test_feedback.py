"""In real Chromium: errors of htmx requests show in #flash, and a running form shows it runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from tests.e2e.browser import sign_in
from tests.factories import make_company, make_store, make_user

pytestmark = pytest.mark.e2e


def test_errors_and_progress_show_in_place(
    live: str, session: Session, new_page: Callable[..., Any], shots: Path
) -> None:
    company = make_company(session)
    make_store(session, company, "S12", "Café Centrum")
    make_user(session, "erik@example.se", company, "accountant", locale="sv")
    page = new_page()
    sign_in(page, live, "erik@example.se")
    page.goto(f"{live}/c/{company.id}/reports")
    expect(page.locator("[data-empty]")).to_contain_text("Inga rapporter ännu")
    flash = page.locator("#flash")

    # Kassabok's own error fragment, in Swedish, in place; the page is not replaced.
    page.evaluate("window.__stillHere = true")
    page.evaluate(f"void htmx.ajax('GET', '/c/{company.id}/closures/999999', {{target: '#main'}})")
    expect(flash.locator('[data-error="404"]')).to_contain_text("Hittades inte")
    expect(flash.locator('[role="alert"]')).to_contain_text("Kontrollera adressen")

    # An answer that is not Kassabok's HTML (the API's JSON) still reads as a message.
    page.evaluate("void htmx.ajax('GET', '/api/v1/closures/nope', {target: '#main'})")
    expect(flash.locator('[data-error="client"]')).to_contain_text("Servern svarade med ett fel")

    # A request that never reaches the server.
    page.route("**/c/*/reports/999", lambda route: route.abort())
    page.evaluate(f"void htmx.ajax('GET', '/c/{company.id}/reports/999', {{target: '#main'}})")
    expect(flash.locator('[data-error="client"]')).to_contain_text("Kassabok gick inte att nå")
    assert page.evaluate("window.__stillHere") is True

    # While the order is on its way the form is busy and its button disabled; then the row polls.
    cdp = page.context.new_cdp_session(page)
    slow = {"offline": False, "latency": 1500, "downloadThroughput": -1, "uploadThroughput": -1}
    cdp.send("Network.emulateNetworkConditions", slow)
    button = page.locator("#order-report button[type=submit]")
    button.click()
    expect(page.locator("#order-report")).to_have_attribute("aria-busy", "true")
    expect(button).to_be_disabled()
    page.screenshot(path=str(shots / "feedback-order-running.png"))
    cdp.send("Network.emulateNetworkConditions", {**slow, "latency": 0})
    expect(page.locator("#reports progress")).to_be_visible()
    expect(flash.locator(".error-message")).to_have_count(0)  # a new action clears old errors
    page.screenshot(path=str(shots / "feedback-report-queued.png"), full_page=True)
