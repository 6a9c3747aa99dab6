"""The auditor's download: orders nothing, downloads the month's PDF, checks its fingerprint."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.journey import SLOW, VIEWPORT, Journey, back, order_month_report
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
    tie_out_vat(j, GAP)


# A2: the demo's Z-chain breaks (app/seed.py CHAIN_BREAKS): S20 never sent a Z 10 days back.
GAP = back(10)


def tie_out_vat(j: Journey, day: Any) -> None:
    """The accountant reads Fortnox for the VAT tie-out of day's month, unless it was read."""
    j.go(f"/c/{_company_id(j)}/evidence/vat?month={day:%Y-%m}")
    j.bound()
    if not j.page.locator("table.vat-rates").count():
        j.page.get_by_role("button", name="Läs Fortnox och stäm av").click()
    expect(j.page.locator("table.vat-rates tbody tr").first).to_be_visible(timeout=SLOW)


def _company_id(j: Journey) -> str:
    """The company the page shows (its address names it)."""
    found = re.search(r"/c/(\d+)/", j.page.url)
    assert found, j.page.url
    return found.group(1)


def auditor_follows_a_chain_break(j: Journey) -> None:
    """A2 (issue 16.2, 16.3): from the month's grid to the break on the chain page, then VAT."""
    j.nav("Dashboard")
    j.open_month(GAP)
    cell = j.page.locator(f"#cell-S20-{GAP.isoformat()}")
    expect(cell).to_have_class(re.compile(r"\bhas-z\b"))  # a Z in its corner ...
    expect(cell.locator("a")).to_contain_text("Z-chain: Z missing")  # ... and words for her reader
    expect(j.page.locator("#legend-zchain .count")).not_to_have_text("0")
    cell.locator("a").click()
    line = j.page.locator("#panel-body .recon-zline")
    expect(line).to_contain_text("never reached Kassabok; the register's grand total says it sold")
    expect(line).to_contain_text("9,875.00")
    j.look("3-chain-break-on-the-grid")
    line.get_by_role("link", name="Open it on the Z-chain page").click()
    j.page.wait_for_url(re.compile(r"/evidence/chain\?month=[-0-9]+#break-z_gap-S20-"))
    j.bound()
    row = j.page.locator("table.breaks tr:target")
    expect(row).to_contain_text("Z missing")
    expect(row).to_contain_text("Not explained")  # she reads; an accountant explains
    expect(j.page.locator("table.breaks textarea")).to_have_count(0)
    j.look("4-z-chain")
    j.page.locator(".evidence-tabs a", has_text="VAT tie-out").click()
    expect(j.page.locator("h1")).to_have_text("Evidence: VAT that ties out")
    expect(j.page.locator("table.vat-rates tbody tr").first).to_be_visible()
    expect(j.page.get_by_role("button", name="Read Fortnox and tie out")).to_have_count(0)
    j.look("5-vat-tie-out")


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
    auditor_follows_a_chain_break(j)
    auditor_opens_a_vouchers_zreport(j, tmp)


def auditor_opens_a_vouchers_zreport(j: Journey, tmp: Path) -> None:
    """A3 (issue 16.1): a posted day's closure shows its Z-report on the voucher; she opens it."""
    day = back(3)
    j.go(f"/c/{_company_id(j)}/closures?q=S12&from={day}&to={day}&state=posted")
    j.bound()
    j.page.locator("table.closure-list td[data-label='Business day'] a").first.click()
    j.page.wait_for_url(re.compile(r"/closures/\d+$"))
    j.bound()
    expect(j.page.locator("#zreport-state")).to_contain_text(
        "Attached to the voucher in Fortnox", timeout=SLOW
    )
    assert j.page.locator("#zreport").get_attribute("data-connected") == "true"
    j.look("6-closure-with-its-z-report")
    href = j.page.locator("#zreport-link").get_attribute("href") or ""
    answer = j.page.request.get(j.stack.url + href)
    assert answer.ok and answer.headers["content-type"] == "application/pdf", answer.status
    pdf = tmp / "zreport.pdf"
    pdf.write_bytes(answer.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "S12" in text and f"{day:%Y-%m-%d}" in text, text
    out = j.shots / "auditor-7-z-report"
    flags = ["-f", "1", "-l", "1", "-r", "70", "-png", "-singlefile"]
    subprocess.run(["pdftoppm", *flags, str(pdf), str(out)], check=True)


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
