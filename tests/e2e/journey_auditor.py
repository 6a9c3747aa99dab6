"""The auditor's download: orders nothing, downloads the month's PDF, checks its fingerprint."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.journey import VIEWPORT, Journey, back, order_month_report
from tests.e2e.stack import Stack


def reports_page(j: Journey) -> None:
    """From the overview to the demo company's reports."""
    j.page.click("#overview >> text=Café Centrum AB")
    j.nav("Reports" if j.role == "auditor" else "Rapporter")
    expect(j.page.locator("#reports")).to_be_visible()  # the boosted link has swapped the page


def ensure_report(new_page: Callable[..., Any], stack: Stack, shots: Path) -> None:
    """The accountant's journey orders the month's report; alone, this test has them order it."""
    j = Journey(new_page(viewport=VIEWPORT), stack, shots, "accountant-for-auditor")
    j.sign_in("accountant@demo.kassabok.se")
    reports_page(j)
    if not j.page.locator("#reports a", has_text="Ladda ner PDF").count():
        order_month_report(j, back(3))


def auditor_downloads_the_month_report(
    new_page: Callable[..., Any], stack: Stack, shots: Path, tmp: Path
) -> None:
    """Ada (English) can only read: she downloads the PDF and its cover bears the shown SHA-256."""
    ensure_report(new_page, stack, shots)
    clipboard = ["clipboard-read", "clipboard-write"]
    page = new_page(viewport=VIEWPORT, accept_downloads=True, permissions=clipboard)
    j = Journey(page, stack, shots, "auditor")
    j.sign_in("auditor@demo.kassabok.se")
    expect(j.page.locator("h1")).to_have_text("Your companies")
    reports_page(j)
    expect(j.page.locator("h1")).to_have_text("Audit reports")
    expect(j.page.locator("#order-report")).to_be_visible()  # E: auditors order too (15.15)
    # E: built, possibly out of date by the store manager's retry since (15.15): downloadable
    row = j.page.locator("#reports tbody.report", has=j.page.locator("a[href$=download]")).first
    # The whole SHA-256 is on the page, in groups of eight; nothing is left to a tooltip.
    shown = row.locator("code.fingerprint")
    expect(shown.locator("span")).to_have_count(8)
    groups = shown.locator("span").all_inner_texts()
    assert len(groups) == 8 and all(re.fullmatch(r"[0-9a-f]{8}", g) for g in groups), groups
    fingerprint = "".join(groups)
    assert (shown.text_content() or "") == fingerprint
    row.locator("button", has_text="Copy").focus()
    j.page.keyboard.press("Enter")  # copied whole, without the groups' spaces
    expect(row.locator("button", has_text="Copied")).to_be_visible()
    assert j.page.evaluate("navigator.clipboard.readText()") == fingerprint
    j.look("1-reports")

    with j.page.expect_download() as download:
        row.locator("a", has_text="Download PDF").click()
    pdf = tmp / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert fingerprint in re.sub(r"\s+", "", text), f"cover does not show {fingerprint}:\n{text}"
    exceptions_page(pdf, shots / "auditor-2-report-exceptions.png")


def exceptions_page(pdf: Path, png: Path) -> None:
    """The report's exceptions page as a picture (the README shows it), found by its heading."""
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    number = next(  # after the cover, whose contents name it too
        n
        for n, text in enumerate(pages.stdout.split("\f"), start=1)
        if n > 1 and "Avvikelser och hur de åtgärdades" in text
    )
    out = png.with_suffix("")
    flags = ["-f", str(number), "-l", str(number), "-r", "90", "-png", "-singlefile"]
    subprocess.run(["pdftoppm", *flags, str(pdf), str(out)], check=True)
    assert png.stat().st_size > 10_000
