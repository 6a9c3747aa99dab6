"""In Chromium: the whole month fits at 1366 and 1440 px, with a day open too; the grid is one tab
stop the arrow keys move in; a view's failed closures are retried in bulk with a summary; on a
390×844 phone a store manager lands on their store's calendar of 44 px days, and a tapped day's
panel comes into view.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.closures.models import Closure, ClosureState
from app.posting import service, state
from tests.e2e.axe import assert_accessible
from tests.e2e.browser import BOUND, sign_in
from tests.factories import make_company, make_user
from tests.posting.conftest import fixture, receive  # noqa: F401
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401
from tests.reconcile.seeding import seed_month
from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401

pytestmark = pytest.mark.e2e
S = ClosureState
MONTH = date(2025, 1, 1)  # 31 days, the seeded stories on days 3-10
PHONE = {"width": 390, "height": 844}
# Every control of the board and its panel a thumb may tap.
TAPPABLE = (
    "td.cell a, #board .button, #board select, .legend-item, .recon-months a, "
    "#panel .button, #panel .input, #panel summary"
)


def _day(store: str, day: int, month: date = MONTH) -> str:
    return f"#cell-{store}-{month.replace(day=day).isoformat()}"


def _fits(page: Any, width: int) -> None:
    """At width px the month scrolls nowhere sideways and its day 31 is on the screen."""
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate("scrollTo(0, 0)")
    wrap = page.locator(".recon-grid-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), f"the grid scrolls at {width}"
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    for store in ("S01", "S06"):
        box = page.locator(_day(store, 31)).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 900, (width, box)


def _focused(page: Any, selector: str) -> None:
    """The focused element is the day's link (or, without a closure, the day itself)."""
    page.wait_for_function(
        "s => { const c = document.querySelector(s);"
        " return document.activeElement === (c.querySelector('a') || c); }",
        arg=selector,
    )


def test_the_month_fits_and_the_arrow_keys_move_through_it(
    app: Flask, live: str, session: Session, new_page: Callable[..., Any], shots: Path
) -> None:
    company = make_company(session)
    seed_month(session, company, 6, MONTH)
    make_user(session, "acc@x.se", company, "accountant")
    page = new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    sign_in(page, live, "acc@x.se")
    page.goto(f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}")
    page.wait_for_function(BOUND)
    # No day chosen: no empty half-screen, a one-line hint; the month fits.
    expect(page.locator("#grid-hint")).to_be_visible()
    assert page.locator("#panel").evaluate("p => p.getBoundingClientRect().height") == 0
    for width in (1440, 1366):
        _fits(page, width)
    assert_accessible(page, "the month at 1366 px")
    page.screenshot(path=str(shots / "a-1-month-1366.png"))

    # One tab stop for the grid; the arrow keys, Home and End move between the days.
    stops = page.locator(".recon-grid [tabindex='0']")
    expect(stops).to_have_count(1)
    assert page.locator(".recon-grid td.cell a:not([tabindex='-1'])").count() == 1
    page.locator("#bulk-offers a").last.focus()
    page.keyboard.press("Tab")
    _focused(page, _day("S01", 1))
    for key, where in (
        ("ArrowRight", _day("S01", 2)),
        ("ArrowDown", _day("S02", 2)),
        ("End", _day("S02", 31)),
        ("Home", _day("S02", 1)),
        ("Control+End", _day("S06", 31)),
        ("ArrowRight", _day("S06", 31)),  # the edge holds
        ("Control+Home", _day("S01", 1)),
        ("ArrowUp", _day("S01", 1)),
    ):
        page.keyboard.press(key)
        _focused(page, where)
    expect(stops).to_have_count(1)
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    _focused(page, _day("S01", 5))
    page.keyboard.press("Tab")  # out of the grid in one step ...
    assert page.evaluate("!document.activeElement.closest('.recon-grid')")
    page.keyboard.press("Shift+Tab")  # ... and back to the day it left
    _focused(page, _day("S01", 5))

    # Enter opens the day beside the month: every day stays in view, focus stays on the day.
    page.keyboard.press("Enter")
    panel = page.locator("#panel-body")
    expect(panel).to_contain_text("S01")
    expect(page.locator("#grid-hint")).to_be_hidden()
    _focused(page, _day("S01", 5))
    for width in (1440, 1366):
        _fits(page, width)
        grid = page.locator(".recon-grid").bounding_box()
        beside = panel.bounding_box()
        assert grid and beside and beside["x"] >= grid["x"] + grid["width"], (width, beside)
        page.screenshot(path=str(shots / f"a-2-day-open-{width}.png"))
    assert_accessible(page, "a day open beside the month at 1366 px")
    page.keyboard.press("ArrowDown")  # Space opens a day too
    page.keyboard.press("Space")
    expect(panel.locator("h2")).to_contain_text("S02")
    _focused(page, _day("S02", 5))


def _failed(session: Session, receive: Any, company: Any, store: str, day: int) -> Closure:  # noqa: F811
    """A closure of the store whose post failed (as a rejected post leaves it)."""
    payload = fixture("cafe-full-day", store_id=store, z_number=day)
    payload["closure_id"] = f"opn-7731:{store}:R1:Z{day}"
    payload["business_date"] = f"2026-11-{day:02d}"
    closure = receive(company, payload)
    state.move(session, closure, S.POSTING)
    state.move(session, closure, S.FAILED, reason="Fortnox did not answer after 6 attempts.")
    session.commit()
    return closure


def test_the_failed_in_view_are_retried_in_bulk_with_a_summary(
    app: Flask,
    live_with_fortnox: str,  # before books: it resets the sandbox, then books makes its tenant
    session: Session,
    books: Any,
    receive,  # noqa: F811
    new_page: Callable[..., Any],
    shots: Path,
) -> None:
    company = books.company
    user = make_user(session, "acc@x.se", company, "accountant")
    failed = [_failed(session, receive, company, s, d) for s, d in (("S12", 3), ("S12", 4))]
    failed += [_failed(session, receive, company, s, d) for s, d in (("S14", 5), ("S14", 6))]
    page = new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    sign_in(page, live_with_fortnox, "acc@x.se")
    page.goto(f"{live_with_fortnox}/c/{company.id}/dashboard?month=2026-11")
    page.wait_for_function(BOUND)
    page.select_option("select[name=status]", "failed")
    expect(page).to_have_url(re.compile(r"status=failed"))
    page.wait_for_function(BOUND)
    offer = page.locator("#bulk-offers a", has_text="Retry all 4 failed or held closures")
    offer.click()
    confirm = page.locator("#bulk")
    confirm.get_by_role("link", name="Cancel").click()  # nothing done: the panel closes
    expect(page.locator("#panel")).to_be_empty()
    offer.click()
    expect(confirm.locator("h2")).to_have_text("Retry 4 closures?")
    expect(confirm.locator("h2")).to_be_focused()
    expect(confirm.locator("tbody tr")).to_have_count(4)
    page.wait_for_function(BOUND)
    assert_accessible(page, "a bulk retry to confirm")
    page.screenshot(path=str(shots / "a-3-bulk-confirm.png"))

    # Meanwhile someone retries one on its own, and it posts.
    with app.app_context():
        service.retry(session, closure_pk=failed[0].id, user=user)
        session.commit()
    drain(app, session)
    page.get_by_role("button", name="Retry these 4 closures").click()
    summary = page.locator("#bulk-summary")
    expect(summary).to_have_text("3 queued, 1 skipped: already posted")
    expect(page.locator(_day("S12", 4, date(2026, 11, 1)))).to_have_class(re.compile("st-pending"))
    page.wait_for_function(BOUND)
    assert_accessible(page, "a bulk retry's summary")
    page.screenshot(path=str(shots / "a-4-bulk-summary.png"))
    drain(app, session)
    for closure in failed:
        session.refresh(closure)
        assert closure.state == S.POSTED, closure.state_reason
    # The list polled itself until they posted, then fetched the grid again.
    progress = page.locator("#bulk-progress")
    expect(progress.locator("li", has_text="Posted")).to_have_count(3)
    expect(progress.locator(".recon-progress")).to_have_count(0)
    page.wait_for_function(BOUND)
    page.screenshot(path=str(shots / "a-4b-bulk-posted.png"))
    retried = session.exec(
        select(AuditEvent.target).where(AuditEvent.action == "closure.retry")
    ).all()
    assert sorted(retried) == sorted(f"closure:{c.id}" for c in failed)  # each one, once


def test_a_store_manager_on_a_phone_lands_on_their_calendar_and_taps_a_day(
    app: Flask, live: str, session: Session, new_page: Callable[..., Any], shots: Path
) -> None:
    company = make_company(session)
    stores = seed_month(session, company, 4, MONTH, days=12)
    make_user(session, "mgr@x.se", company, "store_manager", stores=[stores[2]])  # S03
    page = new_page(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    sign_in(page, live, "mgr@x.se")
    # Lands on S03's month, the oldest with something to do (failed on the 6th).
    page.wait_for_url(re.compile(rf"/c/{company.id}/dashboard\?month={MONTH:%Y-%m}$"))
    page.wait_for_function(BOUND)
    expect(page.locator(".recon-grid tbody tr")).to_have_count(1)
    expect(page.locator(".recon-grid th[scope=row]")).to_have_text(re.compile(r"^S03 · Store 3"))
    expect(page.locator(".recon-weekdays")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    # The 1st (a Wednesday) sits under its weekday; every day is a 44 px target.
    first = page.locator(_day("S03", 1)).bounding_box()
    wednesday = page.locator(".recon-grid .recon-weekdays li").nth(2).bounding_box()
    assert first and wednesday and abs(first["x"] - wednesday["x"]) < 2, (first, wednesday)
    _tappable(page)
    assert_accessible(page, "a store manager's month on a phone")
    page.screenshot(path=str(shots / "a-5-phone-month.png"), full_page=True)

    page.locator(_day("S03", 6)).locator("a").tap()
    panel = page.locator("#panel-body")
    expect(panel.get_by_role("button", name="Retry")).to_be_visible()
    expect(panel).to_be_in_viewport()
    page.wait_for_function(
        "() => { const r = document.getElementById('panel').getBoundingClientRect();"
        " return r.top >= 0 && r.top < innerHeight / 2; }"
    )
    page.wait_for_function(BOUND)
    _tappable(page)
    assert_accessible(page, "a tapped day on a phone")
    page.screenshot(path=str(shots / "a-6-phone-day.png"))


def _tappable(page: Any) -> None:
    """Every control of the board and its panel is at least 44 px tall (a day 44 px wide too)."""
    small = page.evaluate(
        """s => [...document.querySelectorAll(s)].filter(e => e.offsetParent).map(e => {
             const r = e.getBoundingClientRect();
             const narrow = e.closest('td.cell') && r.width < 44;
             const what = `${e.outerHTML.slice(0, 80)}: ${r.width}x${r.height}`;
             return (r.height < 44 || narrow) ? what : '';
           }).filter(Boolean)""",
        TAPPABLE,
    )
    assert not small, small


def _break_month(
    session: Session, company: Any, stores: int, unsent: tuple[str, str] = ("S02", "S05")
) -> None:
    """seed_month's stores; the first of unsent never sent Z1012, the second Z1020 (explained)."""
    from app.evidence import breaks

    seed_month(session, company, stores, MONTH)
    for store, z in zip(unsent, (1012, 1020), strict=True):
        query = select(Closure).where(Closure.store_code == store, Closure.z_number == z)
        session.delete(session.exec(query).one())
    session.commit()
    [told] = breaks.findings(session, company.id, MONTH, MONTH.replace(day=31), {unsent[1]})
    user = make_user(session, "chief@x.se", company, "accountant")
    breaks.explain(session, company_id=company.id, brk=told.brk, comment="Test till", user=user)
    session.commit()


def test_a_chain_break_marks_its_day_and_the_strip_fits_beside_the_month(
    app: Flask, live: str, session: Session, new_page: Callable[..., Any], shots: Path
) -> None:
    company = make_company(session)
    _break_month(session, company, 6)
    make_user(session, "acc@x.se", company, "accountant")
    page = new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    sign_in(page, live, "acc@x.se")
    page.goto(f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}")
    page.wait_for_function(BOUND)
    gap, told = page.locator(_day("S02", 13)), page.locator(_day("S05", 21))
    expect(gap).to_have_class(re.compile(r"\bhas-z\b"))
    expect(gap).not_to_have_class(re.compile(r"is-explained"))
    expect(gap.locator("a")).to_contain_text("Z-chain: Z missing Z1012")  # words, not a mark only
    expect(told).to_have_class(re.compile(r"\bhas-z is-explained\b"))
    expect(page.locator("#legend-zchain .count")).to_have_text("1")  # the unexplained one
    strip = page.locator("#zchain")
    expect(strip.locator("h2")).to_have_text("Z-chain: 2 breaks this month, 1 of them explained")
    expect(strip.locator(":scope > ul > .recon-strip")).to_have_count(2)  # the rest folded
    expect(strip.locator("summary")).to_have_text("4 registers unbroken")
    for width in (1440, 1366):
        _fits(page, width)
    strip.scroll_into_view_if_needed()
    assert_accessible(page, "a month with Z-chain breaks at 1366 px")
    page.screenshot(path=str(shots / "a2-1-month-breaks-1366.png"))
    box = strip.bounding_box()
    assert box and box["x"] + box["width"] <= 1366

    # The day: what the break means, and the way to its row on the chain page.
    page.evaluate("scrollTo(0, 0)")
    gap.locator("a").click()
    line = page.locator("#panel-body .recon-zline")
    expect(line).to_contain_text("Z1012 never reached Kassabok")
    for width in (1440, 1366):
        _fits(page, width)
    assert_accessible(page, "a day with a Z-chain break")
    page.screenshot(path=str(shots / "a2-2-day-break-1366.png"))
    line.get_by_role("link", name="Open it on the Z-chain page").click()
    page.wait_for_url(re.compile(r"/evidence/chain\?month=.*#break-z_gap-S02-R1-1012$"))
    expect(page.locator("tr:target")).to_contain_text("Z1012")
    page.wait_for_function(BOUND)
    page.screenshot(path=str(shots / "a2-3-chain-row.png"))


def test_a_chain_break_on_a_phone(
    app: Flask, live: str, session: Session, new_page: Callable[..., Any], shots: Path
) -> None:
    company = make_company(session)
    _break_month(session, company, 2, ("S02", "S01"))
    make_user(session, "acc@x.se", company, "accountant")
    page = new_page(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    sign_in(page, live, "acc@x.se")
    page.goto(f"{live}/c/{company.id}/dashboard?month={MONTH:%Y-%m}")
    page.wait_for_function(BOUND)
    expect(page.locator(_day("S02", 13))).to_have_class(re.compile(r"\bhas-z\b"))
    # The strip and the legend fit the phone: nothing widens the page past its 390 px.
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    assert page.evaluate("innerWidth") == PHONE["width"]
    _tappable(page)
    for link in page.locator("#zchain a, #legend-zchain").all():
        box = link.bounding_box()
        assert box and box["height"] >= 44, (link.inner_text(), box)
    assert_accessible(page, "a month with a Z-chain break on a phone")
    page.locator("#zchain").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "a2-4-phone-strip.png"))
    page.locator(_day("S02", 13)).locator("a").tap()
    line = page.locator("#panel-body .recon-zline")
    expect(line).to_contain_text("Z1012 never reached Kassabok")
    page.wait_for_function(BOUND)
    assert_accessible(page, "a tapped day with a Z-chain break on a phone")
    page.locator("#panel-body h2").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "a2-5-phone-day.png"))
