"""In Chromium at 1366x900: the closure page links its Z-report, which opens as the PDF the POS
sent; the page says it is on the voucher in Fortnox, and the API says connected. A voucher whose
Z-report could not be attached shows as a finding with its reason (and on a phone)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session

from tests.attachments import conftest as attaching
from tests.attachments.conftest import fixture, sent_pdf, with_z_report
from tests.closures.ingest_support import make_token
from tests.e2e.axe import assert_accessible
from tests.e2e.browser import BOUND, serve, sign_in
from tests.factories import make_user
from tests.posting.sandbox_support import connected_books  # noqa: F401
from tests.sandbox_fixtures import point_app_at

pytestmark = pytest.mark.e2e
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
receive, post, attach = attaching.receive, attaching.post, attaching.attach  # their fixtures


@pytest.fixture
def out(shots: Path) -> Path:
    """Screenshots for the engineer to look at (/tmp/kb/I when it exists), else the test's dir."""
    chosen = Path(os.environ.get("KASSABOK_I_SHOTS", "/tmp/kb/I"))
    if chosen.parent.exists():
        chosen.mkdir(exist_ok=True)
        return chosen
    return shots


@pytest.fixture
def on_fortnox(app: Flask, books: Any) -> Iterator[str]:
    """The portal on localhost, pointed at the connected company's sandbox, CSRF on."""
    with serve(app, host="localhost") as url:
        point_app_at(app, books.sandbox, public_url=url)
        app.config["WTF_CSRF_ENABLED"] = True
        yield url


def open_closure(new_page: Callable[..., Any], live: str, books: Any, closure: Any, **user: Any):
    """A signed-in accountant's page on the closure, at 1366x900."""
    email = user.pop("email", "acc@example.com")
    make_user(user.pop("session"), email, books.company, "accountant", **user)
    page = new_page(viewport=WIDE, locale="sv-SE" if user.get("locale") == "sv" else "en-GB")
    sign_in(page, live, email)
    page.goto(f"{live}/c/{books.company.id}/closures/{closure.id}")
    return page


def test_the_closure_page_links_its_z_report_which_opens_as_the_pdf(
    on_fortnox: str,
    session: Session,
    books: Any,
    post: Callable[..., Any],
    attach: Callable[[int], str],
    new_page: Callable[..., Any],
    out: Path,
) -> None:
    live = on_fortnox
    payload = with_z_report()
    closure = post(payload)
    assert attach(closure.id) == "connected"
    page = open_closure(new_page, live, books, closure, session=session)
    link = page.locator("#zreport-link")
    expect(link).to_be_visible()
    expect(page.locator("#zreport-state")).to_contain_text("Attached to the voucher in Fortnox")
    expect(page.locator("#zreport")).to_have_attribute("data-connected", "true")
    page.wait_for_function(BOUND)
    page.locator("#zreport").scroll_into_view_if_needed()
    page.screenshot(path=str(out / "zreport-1-closure-attached.png"))
    assert_accessible(page, "a closure whose Z-report is on its voucher")

    href = link.get_attribute("href")
    opened = page.request.get(f"{live}{href}")  # the browser's own session
    assert opened.ok and opened.headers["content-type"] == "application/pdf"
    assert opened.body() == sent_pdf(payload)
    with page.expect_response(lambda r: r.url.endswith(href)) as answered:
        link.click()  # Chromium opens it in its PDF viewer
    shown = answered.value
    assert shown.ok and shown.headers["content-type"] == "application/pdf"
    assert int(shown.headers["content-length"]) == len(sent_pdf(payload))
    page.wait_for_url(f"**{href}")
    page.go_back()

    token = make_token(session, books.company)
    api = page.request.get(
        f"{live}/api/v1/closures/{closure.closure_id}",
        headers={"Authorization": f"Bearer {token}"},
    )
    attachment = api.json()["attachment"]
    assert attachment["connected"] is True and attachment["file_id"]


def test_a_voucher_without_its_z_report_is_a_finding_with_the_reason(
    on_fortnox: str,
    session: Session,
    books: Any,
    post: Callable[..., Any],
    attach: Callable[[int], str],
    new_page: Callable[..., Any],
    out: Path,
) -> None:
    live = on_fortnox
    closure = post(fixture("cafe-full-day"))  # no z_report: Kassabok renders one
    books.sandbox.licences(books.tenant, archive=False)
    assert attach(closure.id) == "failed"
    page = open_closure(new_page, live, books, closure, session=session, locale="sv")
    state = page.locator("#zreport-state")
    expect(state).to_contain_text("Anmärkning: inte kopplad till verifikationen")
    expect(page.locator("#zreport-reason")).to_contain_text("saknar företaget licens för arkivet")
    expect(page.locator("#zreport")).to_contain_text("renderad av Kassabok från dagsavslutet")
    page.wait_for_function(BOUND)
    page.locator("#zreport").scroll_into_view_if_needed()
    page.screenshot(path=str(out / "zreport-2-finding-sv.png"))
    assert_accessible(page, "a closure whose Z-report is not on its voucher")
    opened = page.request.get(f"{live}{page.locator('#zreport-link').get_attribute('href')}")
    assert opened.ok and opened.body().startswith(b"%PDF-")
    (out / "zreport-rendered.pdf").write_bytes(opened.body())
    page.set_viewport_size(PHONE)
    page.locator("#zreport").scroll_into_view_if_needed()
    page.screenshot(path=str(out / "zreport-3-finding-phone.png"))
    box = page.locator("#zreport").bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]  # it wraps, no sideways
