"""In Chromium at 1366 px: wrong data never looks right, and what needs the accountant is in view.

A mapping to an account Fortnox lacks is refused with the nearest accounts (saved only on purpose,
never as a green success); fixing it releases the held closures at once; the overview counts as
the legend does and links on; the approvals page is in the menu while something waits.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session

from app.audit.models import AuditEvent
from app.closures.models import ClosureState
from tests.e2e.axe import assert_accessible
from tests.e2e.browser import sign_in
from tests.factories import make_user
from tests.posting.conftest import fixture, receive  # noqa: F401
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401
from tests.sandbox_fixtures import fortnox_company, point_app_at, sandbox  # noqa: F401

pytestmark = pytest.mark.e2e
S = ClosureState
WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def out(shots: Path) -> Path:
    """Screenshots for the engineer to look at (/tmp/kb/G when it exists), else the test's dir."""
    chosen = Path(os.environ.get("KASSABOK_G_SHOTS", "/tmp/kb/G"))
    if chosen.parent.exists():
        chosen.mkdir(exist_ok=True)
        return chosen
    return shots


def _at(store: str, name: str = "cafe-full-day") -> dict:
    payload = fixture(name, store_id=store)
    payload["closure_id"] = payload["closure_id"].replace(":S12:", f":{store}:")
    return payload


def test_wrong_data_is_refused_fixes_release_and_counts_agree(
    app: Flask,
    live_on_books: str,
    session: Session,
    books: Any,
    receive,  # noqa: F811
    new_page: Callable[..., Any],
    out: Path,
) -> None:
    company = books.company
    make_user(session, "accountant@example.com", company, "accountant")
    amex = receive(company, fixture("amex-custom-method", store_id="S12"))  # AMEX unmapped
    assert amex.hold_code == "unmapped_payment_method"
    page = new_page(viewport=WIDE, locale="en-GB")
    sign_in(page, live_on_books, "accountant@example.com")

    # 1. Quick-mapping AMEX to 9999, which Fortnox lacks, is refused with the nearest accounts.
    page.goto(f"{live_on_books}/c/{company.id}/mapping/")
    unmapped = page.locator(".unmapped")
    unmapped.locator("input[name=account]").fill("9999")
    unmapped.locator("button", has_text="Map").click()
    refused = page.locator("#mapping-refused")
    expect(refused).to_contain_text("Account 9999 is not in the company's Fortnox chart.")
    expect(refused.locator("button[name=use]").first).to_be_visible()
    expect(page.locator(".alert--success")).to_have_count(0)
    assert_accessible(page, "a refused mapping with its nearest accounts")
    page.screenshot(path=str(out / "g-1-refused.png"), full_page=True)
    # Saved only on purpose, and then as a warning.
    refused.locator("button[name=confirm_accounts]").click()
    warning = page.locator("#mapping-editor .alert--warning")
    expect(warning).to_contain_text("9999")
    expect(page.locator("#mapping-editor .alert--success")).to_have_count(0)
    page.screenshot(path=str(out / "g-2-saved-anyway.png"), full_page=True)

    # 2. Pre-flight is red for 9999: another store's closure is held by it ...
    other = receive(company, _at("S14"))
    drain(app, session)
    for closure in (amex, other):
        session.refresh(closure)
        assert (closure.state, closure.hold_code) == (S.HELD, "preflight_failed")
    # The overview counts them as the month legend does and leads to each, oldest first.
    page.goto(f"{live_on_books}/")
    held = page.locator("#overview .count--held")
    expect(held).to_have_text("2")
    expect(page.locator("#attention tbody tr")).to_have_count(2)
    expect(page.locator("#attention")).to_contain_text("Fix the hold; it then posts by itself")
    page.screenshot(path=str(out / "g-2b-overview-held.png"), full_page=True)
    held.click()
    expect(page.locator("#legend-held .count")).to_have_text("2")
    page.screenshot(path=str(out / "g-2c-grid-held.png"), full_page=True)
    # ... until AMEX is mapped right: both post without anyone clicking Retry.
    page.goto(f"{live_on_books}/c/{company.id}/mapping/")
    row = page.locator("#section-payment_methods tr", has=page.locator("code", has_text="AMEX"))
    row.locator("input[name='payment_methods.account']").fill("1580")
    page.locator("#mapping-editor button", has_text="Save as new version").click()
    expect(page.locator("#mapping-editor .alert--success")).to_contain_text("Saved as version")
    page.screenshot(path=str(out / "g-3-fixed.png"), full_page=True)
    drain(app, session)
    for closure in (amex, other):
        session.refresh(closure)
        assert closure.state == S.POSTED, closure.state_reason

    # 3. With approve-first, a waiting closure puts Approvals (with its count) in the menu.
    company.approve_first = True
    session.add(company)
    session.commit()
    waiting = receive(company, _at("S14", "cash-overage"))
    assert waiting.state == S.AWAITING_APPROVAL
    page.goto(f"{live_on_books}/")
    overview = page.locator("#overview")
    expect(overview).to_be_visible()
    for width in (1366, 1920):  # the table fits its container: no column cut off
        page.set_viewport_size({"width": width, "height": 900})
        fits = overview.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
        assert fits, f"the overview table overflows at {width} px"
    page.set_viewport_size(WIDE)
    approvals = overview.locator(".count--awaiting_approval")
    expect(approvals).to_have_text("1")
    assert_accessible(page, "the overview with counts and what needs attention")
    page.screenshot(path=str(out / "g-4-overview.png"), full_page=True)
    approvals.click()
    menu = page.locator(".company-nav a", has_text="Approvals")
    expect(menu).to_contain_text("1")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    page.screenshot(path=str(out / "g-5-approved.png"), full_page=True)
    events = session.query(AuditEvent).filter_by(
        action="closure.approved", target=f"closure:{waiting.id}"
    )
    expect(page.locator(".company-nav a", has_text="Approvals")).to_be_visible()
    session.expire_all()
    assert events.count() == 1
    drain(app, session)
    session.refresh(waiting)
    assert waiting.state == S.POSTED, waiting.state_reason
