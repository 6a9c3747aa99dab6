"""In real Chromium: sign in, switch language, edit a store in place with htmx, no CSP violation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.companies.models import Store
from tests.e2e.browser import BOUND
from tests.factories import PASSWORD, make_company, make_store, make_user

pytestmark = pytest.mark.e2e


def test_sign_in_switch_language_edit_store_in_place(
    live: str, session: Session, new_page: Callable[..., Any], shots: Path
) -> None:
    """The foundation's main path works in a browser, with htmx and without inline script."""
    company = make_company(session)
    store = make_store(session, company, "S12", "Café Centrum")
    make_user(session, "anna@example.se", company, "admin", locale="sv")
    page = new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{live}/auth/login")
    expect(page.locator("h1")).to_have_text("Logga in i Kassabok")
    page.fill("#email", "anna@example.se")
    page.fill("#password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Dina företag")

    page.select_option("#language-select", "en")  # submits itself (static/js/kassabok.js)
    expect(page.locator("h1")).to_have_text("Your companies")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.click("text=Café Centrum AB")
    page.click("nav.company-nav >> text=Stores")
    expect(page.locator("h1")).to_have_text("Stores")
    page.wait_for_function(BOUND)  # Edit, clicked before htmx binds it, would leave the page
    page.evaluate("window.__stillHere = true")
    row = page.locator(f"#store-{store.id}")
    row.locator("text=Edit").click()
    name = row.locator("input[name=name]")
    expect(name).to_be_visible()
    page.wait_for_function(BOUND)  # the swapped-in form posts through htmx once bound
    page.screenshot(path=str(shots / "foundation-store-edit.png"), full_page=True)
    name.fill("Café Torget")
    row.locator("button[type=submit]").click()
    expect(row).to_contain_text("Café Torget")
    expect(row).to_contain_text("Saved")
    assert page.evaluate("window.__stillHere") is True, "the page was reloaded, not swapped"
    page.screenshot(path=str(shots / "foundation-store-saved.png"), full_page=True)
    session.expire_all()
    assert session.exec(select(Store)).one().name == "Café Torget"
    assert not violations, violations
