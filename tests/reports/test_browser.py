"""In Chromium: order a report, see it refused once more, watch the row poll itself to Ready."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def test_order_refuse_and_watch_it_finish(
    live: str, session: Any, month: Any, run_jobs: Any, new_page: Callable[..., Any]
) -> None:
    """The progress row replaces itself until the report is ready, then stops polling."""
    make_user(session, "boss@cafe.se", month.company, "admin")
    page = new_page()
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
