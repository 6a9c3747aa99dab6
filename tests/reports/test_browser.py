"""In Chromium: order a report, see it refused once more, watch the row poll itself to Ready."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def live(app) -> Iterator[str]:
    """The portal served on a free port in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium at /usr/bin/chromium")
def test_order_refuse_and_watch_it_finish(live, session, month, run_jobs) -> None:
    """The progress row replaces itself until the report is ready, then stops polling."""
    from playwright.sync_api import sync_playwright

    make_user(session, "boss@cafe.se", month.company, "admin")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{live}/auth/login")
        page.fill("input[name=email]", "boss@cafe.se")
        page.fill("input[name=password]", PASSWORD)
        page.press("input[name=password]", "Enter")
        page.wait_for_load_state()
        page.goto(f"{live}/c/{month.company.id}/reports")
        page.click("text=Build the report")
        page.wait_for_selector("#reports progress")
        page.click("text=Build the report")
        page.wait_for_selector("#flash >> text=Already being built")
        run_jobs(("reports",))
        page.wait_for_selector("#reports >> text=Download PDF", timeout=15000)
        assert page.locator("#reports tbody tr").count() == 1
        assert page.locator("#reports [hx-trigger]").count() == 0
        browser.close()
