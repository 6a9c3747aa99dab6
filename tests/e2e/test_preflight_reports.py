"""In Chromium at 1366 px: pre-flight shows its red line first and the button that fixes it turns
it green; the checks run while not connected say so beside the button; the reports form puts its
refusal beside the field; an auditor orders a Swedish report; an out-of-date report is rebuilt."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session

from tests.e2e.axe import assert_accessible
from tests.e2e.browser import BOUND, serve, sign_in
from tests.factories import make_company, make_user
from tests.fortnox.test_preflight_fixes import mapped  # noqa: F401  (B01 lacks its cost center)
from tests.reports.conftest import month  # noqa: F401
from tests.reports.sample import add_closure, variant
from tests.sandbox_fixtures import FortnoxCompany, point_app_at

pytestmark = pytest.mark.e2e
WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def out(shots: Path) -> Path:
    """Screenshots for the engineer to look at (/tmp/kb/E when it exists), else the test's dir."""
    chosen = Path(os.environ.get("KASSABOK_E_SHOTS", "/tmp/kb/E"))
    if chosen.parent.exists():
        chosen.mkdir(exist_ok=True)
        return chosen
    return shots


@pytest.fixture
def on_fortnox(app: Flask, mapped: FortnoxCompany) -> Iterator[str]:  # noqa: F811
    """The portal on localhost, pointed at the connected company's sandbox, CSRF on."""
    with serve(app, host="localhost") as url:
        point_app_at(app, mapped.sandbox, public_url=url)
        app.config["WTF_CSRF_ENABLED"] = True
        yield url


def top(page: Any, selector: str) -> None:
    """Scroll so that the element starts at the top of the window (for the screenshot)."""
    page.locator(selector).evaluate("el => el.scrollIntoView({block: 'start'})")


def test_preflight_red_first_and_the_button_turns_it_green(
    on_fortnox: str,
    session: Session,
    mapped: FortnoxCompany,  # noqa: F811
    new_page: Callable[..., Any],
    out: Path,
) -> None:
    live = on_fortnox
    page = new_page(viewport=WIDE, locale="en-GB")
    sign_in(page, live, "admin@example.com")
    page.goto(f"{live}/c/{mapped.company.id}/fortnox/")
    page.click("#rerun-preflight")
    lines = page.locator("#preflight tbody tr")
    expect(lines.first).to_have_attribute("data-check", "cost_center:B01")
    expect(lines.first).to_have_attribute("data-level", "red")
    expect(page.locator("#preflight-summary")).to_contain_text("1 check failed")
    create = lines.first.locator("button", has_text="Create cost center B01 in Fortnox")
    expect(create).to_be_visible()
    assert lines.first.locator("th").inner_text() == "Cost center B01 of store B01"
    page.wait_for_function(BOUND)
    top(page, "#preflight")
    page.screenshot(path=str(out / "preflight-1-red-first.png"))
    assert_accessible(page, "pre-flight with a red line")

    create.click()
    notice = page.locator("#preflight .preflight-notice")
    expect(notice).to_contain_text("Cost center B01 was created in Fortnox for store Butik Bryggan")
    expect(page.locator("#preflight-summary")).to_contain_text("All checks passed")
    b01 = page.locator('#preflight tr[data-check="cost_center:B01"]')
    expect(b01).to_have_attribute("data-level", "green")
    expect(page.locator("#fortnox-badge")).to_contain_text("Fortnox connected")
    page.wait_for_function(BOUND)
    top(page, "#preflight")
    page.screenshot(path=str(out / "preflight-2-created-green.png"))
    assert_accessible(page, "pre-flight after the cost center was created")
    page.set_viewport_size({"width": 390, "height": 844})
    top(page, "#preflight")
    page.screenshot(path=str(out / "preflight-4-phone.png"))
    assert_accessible(page, "pre-flight on a phone")
    codes = [c["Code"] for c in mapped.fortnox("GET", "costcenters")["CostCenters"]]
    assert codes.count("B01") == 1
    titles = page.locator("#preflight tbody th").all_inner_texts()
    assert not [t for t in titles if re.search(r"\*:|\(VAT \d|“[a-z]+”", t)], titles


def test_checks_run_while_not_connected_say_so_beside_the_button(
    on_fortnox: str, session: Session, new_page: Callable[..., Any], out: Path
) -> None:
    live = on_fortnox
    other = make_company(session, "Kiosken AB", "559900-0001")
    make_user(session, "solo@example.com", other, "admin")
    page = new_page(viewport=WIDE, locale="en-GB")
    sign_in(page, live, "solo@example.com")
    page.goto(f"{live}/c/{other.id}/fortnox/")
    page.click("#rerun-preflight")
    said = page.locator(".preflight__run [role=alert]")
    expect(said).to_contain_text("The checks could not run: Kassabok is not connected to Fortnox.")
    button, alert = page.locator("#rerun-preflight").bounding_box(), said.bounding_box()
    assert alert["y"] < button["y"] + button["height"] + 80  # beside the button, not far off
    top(page, "#preflight")
    page.screenshot(path=str(out / "preflight-3-not-connected.png"))
    assert_accessible(page, "pre-flight while not connected")


def test_reports_refuse_a_long_period_beside_the_field_and_rebuild_when_out_of_date(
    live: str,
    session: Session,
    month: Any,  # noqa: F811
    run_jobs: Any,
    new_page: Callable[..., Any],
    out: Path,
) -> None:
    auditor = make_user(session, "rut@cafe.se", month.company, "auditor", locale="sv")
    auditor.name = "Rut Revisor"
    session.add(auditor)
    session.commit()
    page = new_page(viewport=WIDE, locale="sv-SE")
    sign_in(page, live, "rut@cafe.se")
    page.goto(f"{live}/c/{month.company.id}/reports")
    page.wait_for_function(BOUND)
    page.fill("#start", "2026-01-01")
    page.fill("#end", "2027-01-31")
    page.select_option("#language", "sv")
    page.click("text=Skapa rapporten")
    error = page.locator("#end-errors")
    expect(error).to_contain_text("omfattar högst ett år: välj 2026-12-31 eller tidigare")
    expect(page.locator("#end")).to_have_attribute("aria-invalid", "true")
    field, box = page.locator("#end").bounding_box(), error.bounding_box()
    assert 0 <= box["y"] - (field["y"] + field["height"]) < 40  # right under the field
    page.wait_for_function(BOUND)
    page.screenshot(path=str(out / "reports-1-year-refused.png"))
    assert_accessible(page, "reports form with a refused period")

    page.fill("#start", "2026-10-01")
    page.fill("#end", "2026-10-31")
    page.click("text=Skapa rapporten")
    rows = page.locator("#reports tbody.report")
    expect(rows).to_have_count(1)
    run_jobs(("reports",))
    expect(rows.first).to_contain_text("Klar", timeout=20000)
    expect(rows.first.locator(".report__who")).to_have_text("Rut Revisor")
    with page.expect_download() as download:
        rows.first.locator("a", has_text="Ladda ner PDF").click()
    pdf = out / "reports-sv.pdf"
    download.value.save_as(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf),
                    str(out / "reports-sv-page")], check=True)  # fmt: skip
    cover = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    assert "Revisionsrapport" in cover and "Rut Revisor (rut@cafe.se)" in cover

    late = variant(month.stores[0], date(2026, 10, 31), 2000, 1)  # a second Z arrives that day
    add_closure(session, month.company, month.stores[0], late, voucher=7000)
    session.commit()
    page.reload()
    expect(rows.first).to_contain_text("Inaktuell")
    rebuild = rows.first.locator("button", has_text="Skapa om")
    expect(rebuild).to_be_visible()
    page.wait_for_function(BOUND)
    top(page, "#reports")
    page.screenshot(path=str(out / "reports-2-out-of-date.png"))
    assert_accessible(page, "reports with an out-of-date report")
    rebuild.click()
    expect(rows).to_have_count(2)
    run_jobs(("reports",))
    expect(rows.first).to_contain_text("Klar", timeout=20000)
    expect(rows.nth(1)).to_contain_text("Inaktuell")
    page.wait_for_function(BOUND)
    top(page, "#reports")
    page.screenshot(path=str(out / "reports-3-rebuilt.png"))
    assert_accessible(page, "reports after the rebuild")
    page.set_viewport_size({"width": 390, "height": 844})  # an auditor on the phone
    top(page, "#reports")
    page.screenshot(path=str(out / "reports-4-phone.png"))
    assert_accessible(page, "reports on a phone")
