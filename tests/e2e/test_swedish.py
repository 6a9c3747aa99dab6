"""In Chromium at 1366x900, in Swedish and in English: amounts, axes, labels and days as each
reader's locale writes them, and the audit trail's columns fit without a horizontal scroll.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.audit.service import record
from app.closures.models import Closure
from app.posting.reasons import Reason, encode
from tests.e2e.axe import assert_accessible
from tests.e2e.browser import BOUND, sign_in
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month

pytestmark = pytest.mark.e2e
WIDE = {"width": 1366, "height": 900}
MONTH = date.today().replace(day=1)
CASH = Reason("cash_difference_over_threshold", {"difference": "-340.00", "threshold": "50.00"})
# What each reader reads: the held reason, the axis's unit and a thousands tick, a changed field.
READS = {
    "sv": {
        "email": "sv@x.se",
        "reason": "Kassadifferensen −340,00 kr överstiger gränsen på 50,00 kr.",
        "unit": "kr",
        "tick": re.compile(r"^\d+(,\d)?\s?tn$"),
        "field": "Övriga kategorier › Kassadifferens",
        "placeholder": "ÅÅÅÅ-MM-DD",
        "error": "Skriv",
    },
    "en": {
        "email": "en@x.se",
        "reason": "The cash difference -SEK 340.00 is over the threshold of SEK 50.00.",
        "unit": "SEK",
        "tick": re.compile(r"^\d+(\.\d)?K$"),
        "field": "Other categories › Cash difference",
        "placeholder": "YYYY-MM-DD",
        "error": "Write the first day as YYYY-MM-DD",
    },
}


@pytest.fixture
def out(shots: Path) -> Path:
    """Screenshots for the engineer to look at (/tmp/kb/D when it exists), else the test's dir."""
    chosen = Path(os.environ.get("KASSABOK_D_SHOTS", "/tmp/kb/D"))
    if chosen.parent.exists():
        chosen.mkdir(exist_ok=True)
        return chosen
    return shots


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    """A month of closures (one held for its cash difference) and an audit trail with codes."""
    company = make_company(session)
    seed_month(session, company, 4, MONTH, days=12)
    for language, reads in READS.items():
        make_user(session, reads["email"], company, "accountant", locale=language)
    held = session.exec(
        select(Closure).where(Closure.state == "held", Closure.hold_code != "correction_due")
    ).one()
    held.state_reason, held.hold_code = encode([CASH]), CASH.code
    held.state_version += 1
    session.add(held)
    changes = [
        {"key": "other/CASH_DIFFERENCE", "change": "changed", "old": "3990", "new": "3991"},
        {"key": "payment_methods/AMEX", "change": "added", "old": None, "new": "1581"},
    ]
    events = [
        ("mapping.saved", "sv@x.se", "mapping v2", {"version": 2, "changes": changes}),
        ("closure.held", "worker", f"closure:{held.id}", {"reason": encode([CASH])}),
        (
            "settings.changed",
            "someone.with.a.really.long.address@example-company.se",
            company.orgnr,
            {"before": {"invoice": False}, "after": {"invoice": True}, "comment": "x-" * 90},
        ),
    ]
    for action, actor, target, detail in events:
        record(session, action=action, company_id=company.id, actor=actor, target=target,
               detail=detail)  # fmt: skip
    session.commit()
    return {"company": company, "held": held}


def _no_sideways_scroll(page: Any) -> None:
    """Neither the page nor the audit table scrolls sideways."""
    widths = page.evaluate(
        """() => { const wrap = document.querySelector('#audit-results .table-wrap');
        return [document.documentElement.scrollWidth, window.innerWidth,
                wrap.scrollWidth, wrap.clientWidth]; }"""
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_reader_reads_their_own_locale(
    live: str, world: dict[str, Any], new_page: Callable[..., Any], out: Path, language: str
) -> None:
    reads, company = READS[language], world["company"]
    page = new_page(viewport=WIDE, locale="en-US")  # the browser's own locale: US, on purpose
    sign_in(page, live, reads["email"])

    # The held closure's reason: the amounts as the reader's locale writes money.
    page.goto(f"{live}/c/{company.id}/closures/{world['held'].id}")
    expect(page.get_by_text(reads["reason"]).first).to_be_visible()
    page.screenshot(path=str(out / f"{language}-held-reason.png"))
    assert_accessible(page, f"the held closure ({language})")

    # The month chart: the axis in the locale, under its unit; tooltips in words.
    page.goto(f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}")
    unit = page.locator("#chart-svg text.tick--unit")
    expect(unit).to_have_text(reads["unit"])
    ticks = page.locator("#chart-svg text.tick:not(.tick--unit)").all_text_contents()
    assert any(reads["tick"].match(t.replace("\xa0", " ")) for t in ticks), ticks
    page.locator("#chart-svg").scroll_into_view_if_needed()
    page.screenshot(path=str(out / f"{language}-chart.png"))
    assert_accessible(page, f"the dashboard ({language})")

    # The audit trail: labels, ISO days in text inputs, no sideways scroll at 1366 px.
    page.goto(f"{live}/c/{company.id}/audit")
    page.wait_for_function(BOUND)
    days = page.locator("#audit-from")
    expect(days).to_have_attribute("type", "text")
    expect(days).to_have_attribute("placeholder", reads["placeholder"])
    expect(page.locator("#audit")).to_contain_text(reads["field"])
    expect(page.locator("#audit")).not_to_contain_text("CASH_DIFFERENCE")
    _no_sideways_scroll(page)
    page.screenshot(path=str(out / f"{language}-audit.png"), full_page=True)
    assert_accessible(page, f"the audit trail ({language})")

    days.fill(f"{MONTH:%Y-%m}-01")
    days.press("Enter")
    expect(page).to_have_url(re.compile(rf"from={MONTH:%Y-%m}-01"))
    page.wait_for_function(BOUND)
    expect(days).to_have_value(f"{MONTH:%Y-%m}-01")  # ISO as typed, never 10/01/2026
    days.fill("10/01/2026")
    days.press("Enter")
    expect(page.locator("#audit-from-error")).to_contain_text(reads["error"])
    expect(days).to_have_attribute("aria-invalid", "true")
    _no_sideways_scroll(page)
    page.screenshot(path=str(out / f"{language}-audit-bad-day.png"))
    assert_accessible(page, f"the audit trail with a bad day ({language})")
    if language == "sv":  # a phone: the filters stack, the table scrolls inside its box
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(out / "sv-audit-phone.png"))
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
