"""In Chromium: order a report, see it refused once more, watch the row poll itself to Ready."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import csp_violations
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def sign_in(page: Any, live: str, email: str) -> None:
    """Sign in on the live server with the factories' password."""
    page.goto(f"{live}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def lines(fingerprint: Any) -> int:
    """On how many lines the fingerprint's groups lie; fails if a group is broken."""
    boxes = [fingerprint.locator("span").nth(n).bounding_box() for n in range(8)]
    assert max(box["height"] for box in boxes) < 1.5 * min(box["height"] for box in boxes)
    return len({box["y"] for box in boxes})


def test_order_refuse_and_watch_it_finish(
    live: str, session: Any, month: Any, run_jobs: Any, new_page: Callable[..., Any]
) -> None:
    """The progress row replaces itself until the report is ready, then stops polling."""
    make_user(session, "boss@cafe.se", month.company, "admin")
    page = new_page()
    sign_in(page, live, "boss@cafe.se")
    page.goto(f"{live}/c/{month.company.id}/reports")
    # A style set through the CSSOM (as a screenshot's caret hiding does) leaves style="" behind;
    # htmx must not copy it onto the swapped-in form's twin, a style attribute the CSP refuses.
    page.evaluate("""() => { const form = document.getElementById("order-report");
      form.style.color = "red"; form.style.color = ""; }""")
    page.click("text=Build the report")
    page.wait_for_selector("#reports progress")
    page.click("text=Build the report")
    page.wait_for_selector("#flash >> text=Already being built")
    run_jobs(("reports",))
    page.wait_for_selector("#reports >> text=Download PDF", timeout=15000)
    assert page.locator("#reports tbody").count() == 1  # the report, with its fingerprint's line
    assert page.locator("#reports [hx-trigger]").count() == 0
    assert not csp_violations(page)


def test_the_fingerprint_is_read_whole_and_copied_from_the_keyboard(
    live: str,
    session: Any,
    month: Any,
    listed: Callable[..., Any],
    new_page: Callable[..., Any],
    shots: Path,
) -> None:
    """An auditor sees 64 digits in groups of eight; Enter on Copy copies them whole."""
    from app.reports.fingerprint import current

    digest = current(session, month.company.orgnr, month.scope)  # the data's: not out of date
    report = listed(status="done", fingerprint=digest, size=20_000)
    make_user(session, "ada@cafe.se", month.company, "auditor")
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    sign_in(page, live, "ada@cafe.se")
    page.goto(f"{live}/c/{month.company.id}/reports")
    shown = page.locator(f"#fingerprint-{report.id}")
    assert shown.text_content() == digest
    assert lines(shown) == 1  # the eight groups on the report's own line
    font = shown.evaluate("el => getComputedStyle(el).fontFamily")
    assert "mono" in font.lower()
    copy = page.locator(f"[data-copy='#fingerprint-{report.id}']")
    copy.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("navigator.clipboard.readText()") == digest
    assert copy.inner_text() == "Copied"
    page.screenshot(path=str(shots / "reports-fingerprint.png"))
    page.set_viewport_size({"width": 480, "height": 800})
    assert lines(shown) > 1  # narrow: it wraps between groups, never inside one
    assert not csp_violations(page)
    # What the journeys rely on: an inline style (the CSP refuses it) is reported.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in csp_violations(page, take=True)), "not reported"


def test_the_evidence_follows_the_forms_period(
    live: str, session: Any, month: Any, new_page: Callable[..., Any], shots: Path
) -> None:
    """An auditor widens the period: a row a month appears, and the VAT link opens the month."""
    make_user(session, "ada@cafe.se", month.company, "auditor")
    page = new_page()
    sign_in(page, live, "ada@cafe.se")
    page.goto(f"{live}/c/{month.company.id}/reports")
    page.fill("#order-report [name=start]", "2026-10-01")
    page.fill("#order-report [name=end]", "2026-11-30")
    page.locator("#order-report [name=end]").dispatch_event("change")
    rows = page.locator("#report-evidence tbody tr")
    rows.nth(1).wait_for()
    assert rows.count() == 2
    assert rows.nth(0).locator("th").inner_text() == "October 2026"
    page.screenshot(path=str(shots / "reports-evidence.png"), full_page=True)
    rows.nth(1).get_by_role("link", name="VAT tie-out November 2026").click()
    page.wait_for_selector("h1 >> text=Evidence: VAT that ties out")
    assert "month=2026-11" in page.url
    assert not csp_violations(page)
