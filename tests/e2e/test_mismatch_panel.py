"""In Chromium at 1366 px: a mismatched day's panel shows each account's difference as an amount
with a totals row; an empty review comment errs beside the field, in the panel; a review turns
the day "reviewed" in its cell, the legend and the overview, which then counts it no more; a
difference that changes after the review makes the day mismatched again, and the panel says why.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from app.fortnox.models import FortnoxConnection
from tests.e2e.axe import assert_accessible
from tests.e2e.browser import BOUND, sign_in
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month

pytestmark = pytest.mark.e2e
MONTH = date.today().replace(day=1)
WIDE = {"width": 1366, "height": 900}
MINUS = "\u2212"


@pytest.fixture
def out(shots: Path) -> Path:
    """Screenshots for the engineer to look at (/tmp/kb/B when it exists), else the test's dir."""
    chosen = Path(os.environ.get("KASSABOK_B_SHOTS", "/tmp/kb/B"))
    if chosen.parent.exists():
        chosen.mkdir(exist_ok=True)
        return chosen
    return shots


def test_a_mismatch_shows_its_amounts_errs_in_the_panel_and_a_review_settles_it(
    live: str, session: Session, new_page: Callable[..., Any], out: Path
) -> None:
    company = make_company(session)
    seed_month(session, company, 4, MONTH, days=12)  # S01's 3rd: +100 on one account, -100 on 3001
    eva = make_user(session, "eva@example.se", company, "accountant", locale="sv")
    eva.name = "Eva Ek"
    session.add(eva)
    space = "54489d4ebc8b4a5c88113e07f22511cd"  # the company's address in Fortnox, as pasted
    session.add(FortnoxConnection(company_id=company.id, web_workspace=f"4711:{space}",
                                  database_number="4711"))  # fmt: skip
    session.commit()
    page = new_page(viewport=WIDE, locale="sv-SE")
    sign_in(page, live, "eva@example.se")

    # The overview counts two mismatched days: S01's 3rd and S04's 7th (booked by hand).
    page.goto(f"{live}/")
    expect(page.locator("#overview .count--mismatch")).to_have_text("2")
    fits = "t => t.scrollWidth <= t.parentElement.clientWidth + 1"  # 1 px: sub-pixel rounding
    assert page.locator("#overview").evaluate(fits), "the Swedish overview overflows at 1366 px"
    page.goto(f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}")
    cell = page.locator(f"#cell-S01-{MONTH.replace(day=3)}")
    expect(cell).to_have_class("cell st-mismatch")
    expect(page.locator("#legend-mismatch .count")).to_have_text("2")
    page.wait_for_function(BOUND)
    cell.locator("a").click()

    # 1. Each account's difference is an amount, in Swedish, and a totals row sums them.
    panel = page.locator("#panel")
    rows = panel.locator("table.recon-rows")
    expect(rows).to_be_visible()
    differing = rows.locator("tbody tr.is-diff")
    expect(differing).to_have_count(2)
    expect(differing.nth(0).locator("td").last).to_have_text("+100,00\xa0kr")
    expect(rows.locator("tbody")).to_contain_text(f"{MINUS}100,00\xa0kr")
    total = rows.locator("tfoot")
    expect(total.locator("th")).to_have_text("Summa")
    expect(total).to_contain_text("0,00\xa0kr")
    expect(total).to_contain_text("2 konton skiljer sig; de tar ut varandra")
    expect(panel).not_to_contain_text("≠ skiljer sig")
    voucher = panel.locator(".recon-closure a.fortnox-link").first  # the voucher, in Fortnox
    expect(voucher).to_have_attribute("href", re.compile(rf"/app/{space}/bf/voucher/A-\d+$"))
    expect(voucher).to_have_attribute("target", "_blank")
    day = panel.locator("table.recon-day-lines")
    expect(day.locator("tfoot")).to_contain_text("Summa")
    expect(day.locator("tbody")).to_contain_text("+100,00\xa0kr")
    assert rows.evaluate(fits), "the difference column is scrolled out of the panel"
    page.wait_for_function(BOUND)
    assert_accessible(page, "a mismatched day's panel with each difference and the totals")
    rows.scroll_into_view_if_needed()
    page.screenshot(path=str(out / "b-1-differences.png"))

    # 2. Marked reviewed without a comment: the error stands beside the field, in the panel.
    comment = panel.locator("#review-comment")
    comment.fill("   ")
    panel.get_by_role("button", name="Markera som granskad").click()
    comment = panel.locator("#review-comment")
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(comment).to_have_attribute("aria-describedby", "review-comment-error")
    error = panel.locator("#review-comment-error")
    expect(error).to_contain_text("Skriv en kommentar: vad du har kontrollerat")
    expect(comment).to_be_focused()
    expect(page.locator("#flash .alert--error")).to_have_count(0)  # not only at the top
    box, field = error.bounding_box(), comment.bounding_box()
    assert box and field and 0 <= box["y"] - (field["y"] + field["height"]) < 40  # right under it
    expect(error).to_be_in_viewport()
    page.wait_for_function(BOUND)
    assert_accessible(page, "a review refused for its empty comment")
    page.screenshot(path=str(out / "b-2-empty-comment.png"))

    # 3. A review with a comment: the day is "reviewed" in its cell and in the legend.
    comment.fill("Flyttat mellan kontona för hand; stämt av med butiken.")
    panel.get_by_role("button", name="Markera som granskad").click()
    review = panel.locator(".recon-review")
    expect(review).to_contain_text("Eva Ek")
    expect(review).to_contain_text("Flyttat mellan kontona för hand")
    expect(cell).to_have_class("cell st-reviewed is-reviewed")
    expect(page.locator("#legend-reviewed .count")).to_have_text("1")
    expect(page.locator("#legend-mismatch .count")).to_have_text("1")
    expect(page.locator("#legend-reviewed")).to_contain_text("Granskad")
    expect(panel.locator("#review-comment")).not_to_have_attribute("aria-invalid", "true")
    expect(panel.locator(".recon-closure .recon-badge")).to_have_text("R Granskad")
    expect(panel.locator(".recon-day .st-reviewed")).to_have_text("R Granskad")
    page.wait_for_function(BOUND)
    assert_accessible(page, "the board after the review")
    page.screenshot(path=str(out / "b-3-reviewed.png"))

    # 4. The overview counts the reviewed day no more, and does not list it.
    page.goto(f"{live}/")
    expect(page.locator("#overview .count--mismatch")).to_have_text("1")
    listed = page.locator("#attention")
    expect(listed.locator(f'a[href$="/cell/S04/{MONTH.replace(day=7)}"]')).to_have_count(1)
    expect(listed.locator(f'a[href$="/cell/S01/{MONTH.replace(day=3)}"]')).to_have_count(0)
    assert_accessible(page, "the overview after the review")
    page.screenshot(path=str(out / "b-4-overview.png"), full_page=True)

    # 5. On a phone the day's page keeps each difference and the totals reachable.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live}/c/{company.id}/dashboard/cell/S04/{MONTH.replace(day=7)}")
    day = page.locator("table.recon-day-lines")
    expect(day.locator("tbody")).to_contain_text("+120,00\xa0kr")
    expect(day.locator("tfoot")).to_contain_text("Summa")
    assert day.evaluate(fits), "the day's difference is scrolled out of a phone's screen"
    assert_accessible(page, "a differing day's page on a phone")
    page.screenshot(path=str(out / "b-5-phone.png"), full_page=True)

    # 6. A hand entry after the review changes S01's 3rd: mismatched again, the panel says why.
    _hand_entry(session, company, "S01", MONTH.replace(day=3), Decimal("10.00"))
    page.set_viewport_size(WIDE)
    page.goto(f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}")
    cell = page.locator(f"#cell-S01-{MONTH.replace(day=3)}")
    expect(cell).to_have_class("cell st-mismatch")
    expect(page.locator("#legend-mismatch .count")).to_have_text("2")
    page.wait_for_function(BOUND)
    cell.locator("a").click()
    changed = panel.locator("#review-changed")
    expect(changed).to_contain_text("Granskad, men differensen har ändrats sedan dess: var ")
    expect(changed).to_contain_text(f"3001 {MINUS}100,00\xa0kr, nu ")  # each account: they cancel
    expect(changed).to_contain_text("5460 +10,00\xa0kr.")
    expect(changed).to_contain_text("Dagen är en avvikelse igen tills någon granskar den på nytt.")
    expect(panel.locator(".recon-closure .recon-badge")).to_have_text("≠ Avvikelse")
    again = panel.get_by_role("button", name="Granska igen")
    changed.scroll_into_view_if_needed()
    page.wait_for_function(BOUND)
    assert_accessible(page, "a reviewed day whose difference changed since")
    page.screenshot(path=str(out / "b-6-changed.png"))
    panel.locator("#review-comment").fill("Kaffe bokat för hand; stämt av igen.")
    again.click()
    expect(cell).to_have_class("cell st-reviewed is-reviewed")
    expect(panel.locator("#review-changed")).to_have_count(0)
    expect(page.locator("#legend-mismatch .count")).to_have_text("1")


def _hand_entry(session: Session, company: Any, store: str, day: date, amount: Decimal) -> None:
    """A voucher booked in Fortnox by hand on the store's day (5460 on its cost center), checked."""
    from sqlmodel import select

    from app.companies.models import Store
    from app.reconcile import load, service
    from tests.reconcile.seeding import _cache

    found = select(Store).where(Store.company_id == company.id, Store.store_id == store)
    cc = session.exec(found).one().cost_center
    rows = [("5460", cc, amount, Decimal("0")), ("1910", "", Decimal("0"), amount)]
    session.commit()
    _cache(session, company, "A", 96001, day, "Kaffe", rows)
    session.commit()
    first = MONTH
    closures = load.latest_closures(session, company.id or 0, first, day)
    service.check(session, company, closures, first, day)
    session.commit()
