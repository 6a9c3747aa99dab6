"""In Chromium at 1366x900 and 390x844: the closure page and the closures list (issue 15.9, 15.12,
15.13, 15.16).

The closure page labels its fields, right-aligns its amounts, writes VAT rates with %, shows the
cash difference as a line, says an empty note or a retry without the required note beside the
note, keeps the note read-only after posting, and links the voucher number to the sandbox's page
for it (Fortnox's web app address, pasted once on the Fortnox page). The list filters by search,
days and status, in the address, and exports that selection.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session

from app.closures.models import ClosureState
from tests.e2e.axe import assert_accessible
from tests.e2e.browser import BOUND, sign_in
from tests.factories import make_user
from tests.posting.conftest import fixture, receive  # noqa: F401
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401
from tests.sandbox_fixtures import fortnox_company, point_app_at, sandbox  # noqa: F401

pytestmark = pytest.mark.e2e
S = ClosureState
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _day(z: int, day: str) -> dict:
    """The café's full day as another Z number and business day (20.00 short: under the limit)."""
    payload = fixture("cafe-full-day", z_number=z, business_date=day)
    payload["closure_id"] = f"opn-7731:S12:R1:Z{z}"
    return payload


def _right_aligned(page: Any, selector: str) -> None:
    """Every cell the selector finds is right-aligned as the browser lays it out."""
    aligns = page.locator(selector).evaluate_all(
        "els => els.map(e => getComputedStyle(e).textAlign)"
    )
    assert aligns and set(aligns) == {"right"}, aligns


def _fits(page: Any, what: str) -> None:
    """The page is no wider than the phone: nothing to scroll sideways."""
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"{what} is {overflow}px wider than the phone"


def test_closure_page_and_list_in_chromium(
    app: Flask,
    live_on_books: str,
    session: Session,
    books: Any,
    receive,  # noqa: F811
    new_page: Callable[..., Any],
    shots: Path,
) -> None:
    company = books.company
    company.cash_threshold = Decimal("25.00")
    session.add(company)
    session.commit()
    make_user(session, "admin@example.com", company, "admin", locale="sv")
    make_user(session, "acc@example.com", company, "accountant", locale="sv")
    for z, day in ((455, "2026-11-22"), (456, "2026-11-23"), (457, "2026-11-24")):
        receive(company, _day(z, day))
    short = {"expected": "600.00", "counted": "540.00"}  # 60.00 short: a note is required
    held = receive(company, fixture("cash-overage", cash_count=short))
    drain(app, session)
    session.refresh(held)
    assert held.hold_code == "cash_difference_over_threshold", held.state_reason

    # The admin pastes the company's address in Fortnox's web app (the sandbox plays it).
    admin = new_page(locale="sv-SE", viewport=WIDE)
    admin.goto(f"{books.sandbox.url}/tenants/{books.tenant}")
    address = admin.locator("#web-address").inner_text()
    assert re.search(r"/app/[0-9a-f]{32}/$", address), address
    sign_in(admin, live_on_books, "admin@example.com")
    admin.goto(f"{live_on_books}/c/{company.id}/fortnox/")
    admin.wait_for_function(BOUND)
    form = admin.locator("#web-address")
    form.locator("input[name=address]").fill("https://apps.fortnox.se/")
    form.locator("button[type=submit]").click()
    field = admin.locator("#web-address-input")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", "web-address-hint web-address-error")
    expect(admin.locator("#web-address-error")).to_contain_text("32 bokstäver och siffror")
    admin.wait_for_function(BOUND)
    field.fill(address)
    admin.locator("#web-address button[type=submit]").click()
    expect(admin.locator("#web-address-state")).to_contain_text("öppnas i Fortnox")
    assert_accessible(admin, "the Fortnox page's address in Fortnox")
    admin.locator("#web-address").screenshot(path=str(shots / "fortnox-web-address.png"))

    # The list: amounts right-aligned; search, days and status narrow it, in the address.
    page = new_page(locale="sv-SE", viewport=WIDE)
    sign_in(page, live_on_books, "acc@example.com")
    page.goto(f"{live_on_books}/c/{company.id}/closures")
    rows = page.locator("#closure-rows tbody tr")
    expect(rows).to_have_count(4)
    _right_aligned(page, "#closure-rows td.num")
    expect(rows.first).to_contain_text("Parkerade")  # the held Z459, newest
    for name, value in (("q", "S12"), ("from", "2026-11-23"), ("to", "2026-11-26")):
        page.wait_for_function(BOUND)
        page.fill(f"#filter-{name}", value)
        expect(page).to_have_url(re.compile(rf"{name}={value}"))  # pushed once the rows came
    page.wait_for_function(BOUND)
    page.select_option("#filter-status", "matched")
    expect(page).to_have_url(re.compile(r"status=matched"))
    expect(rows).to_have_count(2)  # Z457 and Z456: posted, and checked against Fortnox
    expect(rows.first).to_contain_text("Z457")
    expect(rows.first.locator("a.fortnox-link")).to_have_attribute("target", "_blank")
    assert_accessible(page, "the filtered closures list")
    page.screenshot(path=str(shots / "list-filtered-1366.png"), full_page=True)
    page.wait_for_function(BOUND)
    with page.expect_download() as downloading:
        page.locator(".list-head__export a", has_text="CSV").click()
    text = Path(downloading.value.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][:3] == ["Affärsdag", "Butik", "Butiksnamn"]
    assert [line[4] for line in lines[1:]] == ["457", "456"]  # that selection, newest first
    # A bad range is said beside the day it concerns.
    page.wait_for_function(BOUND)
    page.fill("#filter-to", "2026-11-01")
    expect(page.locator("#filter-to")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#filter-to-error")).to_contain_text("före första dagen")
    page.screenshot(path=str(shots / "list-bad-range-1366.png"))
    phone = new_page(locale="sv-SE", viewport=PHONE)
    sign_in(phone, live_on_books, "acc@example.com")
    phone.goto(f"{live_on_books}/c/{company.id}/closures?q=S12&from=2026-11-23&to=2026-11-26")
    expect(phone.locator("#closure-rows tbody tr")).to_have_count(3)
    assert_accessible(phone, "the closures list on a phone")
    phone.screenshot(path=str(shots / "list-390.png"), full_page=True)
    _fits(phone, "the closures list")

    # The held closure: a labelled note, figures right-aligned, VAT with %, the cash difference.
    page.goto(f"{live_on_books}/c/{company.id}/closures/{held.id}")
    note = page.locator(f"#note-{held.id}")
    expect(page.locator(f"label[for=note-{held.id}]")).to_have_text(
        "Kommentar till kassadifferensen"
    )
    expect(page.locator(".closure-figures td.num", has_text="25\u00a0%")).to_have_count(1)
    expect(page.locator(".closure-figures td.num", has_text="12\u00a0%")).to_have_count(1)
    _right_aligned(page, ".closure-figures td.num")
    expect(page.locator("#cash-difference")).to_contain_text("\u221260,00\u00a0kr")
    assert_accessible(page, "a held closure")
    page.wait_for_function(BOUND)
    page.locator(".closure-status button", has_text="Försök igen").click()
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(note).to_have_attribute("aria-describedby", f"note-{held.id}-hint note-{held.id}-error")
    expect(page.locator(f"#note-{held.id}-error")).to_contain_text("Skriv först en kommentar")
    expect(note).to_be_focused()  # the field the error concerns, not a flash at the top
    assert_accessible(page, "a retry without the required note")
    page.screenshot(path=str(shots / "closure-note-required-1366.png"), full_page=True)
    page.wait_for_function(BOUND)
    page.locator(".closure-status button", has_text="Spara kommentar").click()
    expect(page.locator(f"#note-{held.id}-error")).to_contain_text("Kommentaren är tom")
    page.wait_for_function(BOUND)
    note.fill("Växelkassan räknades före avslutet; 60 kr ligger i kassaskåpet.")
    page.locator(".closure-status button", has_text="Spara kommentar").click()
    expect(page.locator(f"#note-{held.id}-error")).to_have_count(0)
    drain(app, session)
    session.refresh(held)
    assert held.state == S.POSTED, held.state_reason

    # Posted: the note stays, read-only, with who wrote it; the voucher links to Fortnox.
    page.reload()
    expect(page.locator(".closure-status")).to_contain_text("Bokfört")
    kept = page.locator(f"figure#note-{held.id}")
    expect(kept).to_contain_text("60 kr ligger i kassaskåpet")
    expect(kept).to_contain_text("Skriven av Acc")
    expect(page.locator("textarea[name=note]")).to_have_count(0)
    link = page.locator(".closure-status a.fortnox-link")
    number = f"{held.voucher_series} {held.voucher_number}"
    expect(link).to_have_attribute("rel", "noopener")
    expect(link).to_have_attribute(
        "aria-label", f"Verifikation {number} i Fortnox, öppnas i en ny flik"
    )
    assert_accessible(page, "a posted closure")
    page.screenshot(path=str(shots / "closure-posted-1366.png"), full_page=True)
    with page.context.expect_page() as opened:
        link.click()
    fortnox = opened.value
    fortnox.wait_for_load_state()
    assert f"/bf/voucher/{held.voucher_series}-{held.voucher_number}" in fortnox.url
    expect(fortnox.locator("h2")).to_contain_text(
        f"Verifikation {held.voucher_series}{held.voucher_number}"
    )
    fortnox.screenshot(path=str(shots / "sandbox-voucher.png"))
    phone.goto(f"{live_on_books}/c/{company.id}/closures/{held.id}")
    expect(phone.locator(f"figure#note-{held.id}")).to_be_visible()
    assert_accessible(phone, "a posted closure on a phone")
    phone.screenshot(path=str(shots / "closure-posted-390.png"), full_page=True)
    _fits(phone, "the closure page")
