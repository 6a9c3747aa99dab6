"""In real Chromium: sign in, Authorize, approve on the sandbox's consent page, see connected."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session
from werkzeug.serving import make_server

from app.mapping.models import MappingVersion
from app.mapping.schema import bas_default
from tests.factories import PASSWORD, make_company, make_store, make_user
from tests.sandbox_fixtures import point_app_at

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


@pytest.fixture
def live(app: Flask, sandbox: Any) -> Iterator[str]:
    """The portal served on localhost (the sandbox is on 127.0.0.1, so cookies stay apart)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://localhost:{server.server_port}"
    sandbox.reset()
    point_app_at(app, sandbox, public_url=url)
    app.config["WTF_CSRF_ENABLED"] = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(5)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium at /usr/bin/chromium")
def test_authorize_in_the_browser(live: str, session: Session, sandbox: Any) -> None:
    from playwright.sync_api import expect, sync_playwright

    company = make_company(session)
    make_store(session, company, "S12", "Café Centrum")
    make_user(session, "admin@example.com", company, "admin")
    session.add(MappingVersion(company_id=company.id, version=1, data=bas_default()))
    session.commit()
    sandbox.create_tenant(company.name, company.orgnr)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="en-GB")
        page.goto(f"{live}/auth/login")
        page.fill("input[name=email]", "admin@example.com")
        page.fill("input[name=password]", PASSWORD)
        page.click("form.login-form button[type=submit]")
        page.goto(f"{live}/c/{company.id}/fortnox/")
        expect(page.locator("#connection-state")).to_contain_text("Not connected")
        page.click("#authorize")
        page.wait_for_url(f"{sandbox.url}/oauth-v1/auth*")
        page.screenshot(path=str(SHOTS / "fortnox-consent.png"), full_page=True)
        page.click("button[value=approve]")
        page.wait_for_url(f"{live}/c/{company.id}/fortnox/")
        expect(page.locator("#connection-state")).to_contain_text("Connected")
        expect(page.locator("#preflight-summary")).to_contain_text("All checks passed")
        page.screenshot(path=str(SHOTS / "fortnox-connected.png"), full_page=True)
        page.click("#rerun-preflight")
        expect(page.locator("#preflight-summary")).to_contain_text("All checks passed")
        browser.close()
