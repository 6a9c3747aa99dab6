"""In Chromium, in Swedish: a held day's panel and its closure's page say why and what to do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.closures.models import Closure
from app.posting.reasons import Reason, encode
from tests.e2e.browser import sign_in
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month

pytestmark = pytest.mark.e2e
MONTH = date.today().replace(day=1)
SWEDISH = "Betalsättet AMEX har inget konto i konteringen."


def test_a_held_day_and_its_closure_read_in_swedish(
    live: str, session: Session, new_page: Callable[..., Any], shots: Path
) -> None:
    company = make_company(session)
    seed_month(session, company, 4, MONTH, days=12)
    held = session.exec(
        select(Closure).where(Closure.state == "held", Closure.hold_code == "")
    ).one()
    held.state_reason = encode([Reason("unmapped_payment_method", {"method": "AMEX"})])
    held.hold_code = "unmapped_payment_method"
    held.state_version += 1  # the check's reason is older: the panel reads the closure's own
    session.add(held)
    session.commit()
    make_user(session, "eva@example.se", company, "accountant", locale="sv")
    page = new_page(viewport={"width": 1400, "height": 1000})
    sign_in(page, live, "eva@example.se")
    page.goto(f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}")
    page.locator(f"#cell-{held.store_code}-{held.business_date} a").click()
    table = page.locator("#panel table.recon-unposted")
    expect(table).to_contain_text(SWEDISH)
    expect(table.locator("a.reason__link")).to_have_text("Åtgärda konteringen →")
    page.locator("#panel .recon-day").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "held-day-panel-sv.png"), full_page=True)
    table.locator(f"a[href$='/closures/{held.id}']").click()
    expect(page.locator("h1")).to_contain_text(f"Z{held.z_number}")
    expect(page.locator(".closure-status .reason")).to_contain_text(SWEDISH)
    expect(page.locator(".closure-status .reason a")).to_have_attribute(
        "href", f"/c/{company.id}/mapping/"
    )
    page.screenshot(path=str(shots / "held-closure-sv.png"), full_page=True)
