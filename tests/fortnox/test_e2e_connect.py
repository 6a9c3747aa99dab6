"""In real Chromium: sign in, Authorize, approve on the sandbox's consent page, see connected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from app.mapping.models import MappingVersion
from app.mapping.schema import bas_default
from tests.e2e.browser import sign_in
from tests.factories import make_company, make_store, make_user

pytestmark = pytest.mark.e2e


def test_authorize_in_the_browser(
    live_with_fortnox: str,
    session: Session,
    sandbox: Any,
    new_page: Callable[..., Any],
    shots: Path,
) -> None:
    company = make_company(session)
    make_store(session, company, "S12", "Café Centrum")
    make_user(session, "admin@example.com", company, "admin")
    session.add(MappingVersion(company_id=company.id, version=1, data=bas_default()))
    session.commit()
    sandbox.create_tenant(company.name, company.orgnr)
    page = new_page(locale="en-GB")
    sign_in(page, live_with_fortnox, "admin@example.com")
    page.goto(f"{live_with_fortnox}/c/{company.id}/fortnox/")
    expect(page.locator("#connection-state")).to_contain_text("Not connected")
    page.click("#authorize")
    page.wait_for_url(f"{sandbox.url}/oauth-v1/auth*")
    page.screenshot(path=str(shots / "fortnox-consent.png"), full_page=True)
    page.check(f"label:has-text('{company.name}') input[type=radio]")  # nothing is pre-selected
    page.click("button[value=approve]")
    page.wait_for_url(f"{live_with_fortnox}/c/{company.id}/fortnox/")
    expect(page.locator("#connection-state")).to_contain_text("Connected")
    expect(page.locator("#preflight-summary")).to_contain_text("All checks passed")
    page.screenshot(path=str(shots / "fortnox-connected.png"), full_page=True)
    page.click("#rerun-preflight")
    expect(page.locator("#preflight-summary")).to_contain_text("All checks passed")
