"""In Chromium: a Fortnox company of another orgnr holds posting until an admin confirms it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session

from app.closures.models import ClosureState
from tests.e2e.axe import assert_accessible
from tests.e2e.browser import sign_in
from tests.factories import make_company, make_store, make_user
from tests.posting.conftest import fixture, mapping_data, receive, save_mapping  # noqa: F401
from tests.posting.sandbox_support import drain

pytestmark = pytest.mark.e2e


def test_admin_confirms_another_orgnr_and_the_held_closure_posts(
    app: Flask,
    live_with_fortnox: str,
    session: Session,
    sandbox: Any,
    receive,  # noqa: F811
    new_page: Callable[..., Any],
    shots: Path,
) -> None:
    company = make_company(session)
    stores = [make_store(session, company, "S12", "Café Centrum")]
    for role in ("admin", "accountant", "store_manager"):
        make_user(session, f"{role}@example.com", company, role, stores=stores)
    data = mapping_data()
    data["stores"] = {"S12": {"name": "S12", "cost_center": "S12"}}
    save_mapping(session, company, data)
    sandbox.create_tenant(company.name, company.orgnr, seed="bas")  # the right one, not chosen
    other = sandbox.create_tenant("Helt Annat AB", "559999-0000", seed="bas")

    admin = new_page(locale="en-GB")
    sign_in(admin, live_with_fortnox, "admin@example.com")
    admin.goto(f"{live_with_fortnox}/c/{company.id}/fortnox/")
    admin.click("#authorize")
    admin.wait_for_url(f"{sandbox.url}/oauth-v1/auth*")
    admin.check(f"input[name=tenant][value='{other}']")
    admin.click("button[value=approve]")
    admin.wait_for_url(f"{live_with_fortnox}/c/{company.id}/fortnox/")
    mismatch = admin.locator("#orgnr-mismatch")
    expect(mismatch).to_contain_text("559999-0000")
    expect(mismatch).to_contain_text(company.orgnr)
    expect(mismatch).to_contain_text("Helt Annat AB")
    expect(mismatch).to_contain_text(company.name)
    expect(admin.locator("#confirm-orgnr")).to_be_visible()
    line = admin.locator('[data-check="orgnr"]')
    expect(line).to_have_attribute("data-ok", "false")
    expect(admin.locator('[data-check="connection"]')).to_have_attribute("data-ok", "true")
    assert_accessible(admin, "the Fortnox page with another orgnr")
    admin.screenshot(path=str(shots / "orgnr-red.png"), full_page=True)

    closure = receive(company, fixture("cafe-full-day"))
    drain(app, session)
    session.refresh(closure)
    assert closure.hold_code == "orgnr_unconfirmed", closure.state_reason

    accountant = new_page(locale="en-GB")
    sign_in(accountant, live_with_fortnox, "accountant@example.com")
    accountant.goto(f"{live_with_fortnox}/c/{company.id}/fortnox/")
    expect(accountant.locator("#orgnr-who")).to_contain_text("Only an admin")
    expect(accountant.locator("#confirm-orgnr")).to_have_count(0)
    accountant.screenshot(path=str(shots / "orgnr-accountant.png"), full_page=True)
    manager = new_page(locale="en-GB")
    sign_in(manager, live_with_fortnox, "store_manager@example.com")
    manager.goto(f"{live_with_fortnox}/c/{company.id}/closures/{closure.id}")
    expect(manager.locator("#fortnox-orgnr-banner")).to_contain_text("Only an admin")
    expect(manager.locator('[data-code="orgnr_unconfirmed"]')).to_contain_text("559999-0000")
    expect(manager.locator(".reason__who")).to_have_text("Ask an admin of the company to fix it.")
    assert_accessible(manager, "a held closure with the orgnr banner")
    manager.screenshot(path=str(shots / "orgnr-held-closure.png"), full_page=True)

    admin.click("#confirm-orgnr")
    expect(admin.locator("#orgnr-confirmed")).to_contain_text("admin@example.com")
    expect(line).to_have_attribute("data-ok", "true")
    expect(admin.locator("#preflight-summary")).to_contain_text("All checks passed")
    admin.screenshot(path=str(shots / "orgnr-confirmed.png"), full_page=True)
    session.refresh(closure)
    assert closure.state == ClosureState.QUEUED, "re-checked at once"
    drain(app, session)
    session.refresh(closure)
    assert closure.state == ClosureState.POSTED, closure.state_reason
    manager.reload()
    expect(manager.locator("#fortnox-orgnr-banner")).to_have_count(0)
