"""The accountant's morning: overview, the month, exceptions, a mapping fix, a note, a review."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.journey import SLOW, VIEWPORT, Journey, back, order_month_report
from tests.e2e.stack import Stack

MATCHED = re.compile(r"\bst-matched\b")


def accountant_morning(new_page: Callable[..., Any], stack: Stack, shots: Path, tmp: Path) -> None:
    """Exceptions on the grid are fixed where they arise and turn matched without a reload."""
    j = Journey(new_page(viewport=VIEWPORT), stack, shots, "accountant")
    amex_day, cash_day, edited_day = back(3), back(4), back(6)
    j.sign_in("accountant@demo.kassabok.se")

    # The agency overview: both companies, the demo's exceptions counted.
    expect(j.page.locator("h1")).to_have_text("Dina företag")
    cafe = j.page.locator("#overview tr", has_text="Café Centrum AB")
    expect(cafe.locator(".count--held")).to_have_text(re.compile(r"^[1-9]"))
    expect(cafe).to_contain_text("Ansluten")
    j.look("1-overview")

    # The company's month, filtered to what is on hold.
    j.page.click("#overview >> text=Café Centrum AB")
    expect(j.page.locator("h1")).to_have_text("Avstämning")
    j.open_month(amex_day)
    j.page.select_option("select[name=status]", "held")
    expect(j.page).to_have_url(re.compile(r"status=held"))
    j.bound()
    amex = j.page.locator(f"#cell-S14-{amex_day}")
    expect(amex).to_contain_text("Parkerade")
    # Never colour alone: each day with a closure carries a mark and its status in words.
    days = j.page.locator("td.cell a").all_inner_texts()
    assert days and all(re.search(r"^\W*\S{1,2}\s.*:\s*\w{3,}", t, re.S) for t in days), days[:3]
    amex.locator("a").click()
    expect(j.page.locator("#panel")).to_contain_text("AMEX")
    j.look("2-held-day")
    # Board: the grid is one tab stop; the arrow keys move from day to day, here up a store.
    expect(j.page.locator(".recon-grid [tabindex='0']")).to_have_count(1)
    amex.locator("a").focus()
    j.page.keyboard.press("ArrowUp")
    above = f"cell-S12-{amex_day}"
    j.page.wait_for_function("id => document.activeElement.closest('td').id === id", arg=above)

    # The reason names the fix: map AMEX on the mapping page.
    j.nav("Kontering")
    unmapped = j.page.locator(".unmapped")
    expect(unmapped).to_contain_text("AMEX")
    unmapped.locator("input[name=account]").fill("1580")
    unmapped.locator("button", has_text="Kontera").click()
    expect(j.page.locator("#mapping-editor")).to_contain_text("Sparad som version 2", timeout=SLOW)
    expect(j.page.locator(".unmapped")).to_have_count(0)
    j.look("3-mapping-fixed")

    # Back on the grid the held day posts and turns matched; the panel polls, nothing reloads.
    j.nav("Avstämning")
    j.open_month(amex_day)
    j.mark_page()
    amex = j.page.locator(f"#cell-S14-{amex_day}")
    amex.locator("a").click()
    expect(amex).to_have_class(MATCHED, timeout=SLOW)
    expect(j.page.locator("#panel")).to_contain_text("Avstämd")
    assert j.not_reloaded()

    # The cash shortage needs a note; saving it sends the closure on, and its status follows live.
    j.nav("Dagsavslut")
    j.page.select_option("select[name=status]", "held")  # htmx swaps the rows
    expect(j.page).to_have_url(re.compile(r"status=held"))  # pushed once the rows are swapped
    j.bound()
    held = j.page.locator("#closure-rows tbody tr")
    expect(held.filter(has_text="AMEX")).to_have_count(0)  # the AMEX day has posted
    held.filter(has_text="S20").locator("a").click()  # the shortage is left
    status = j.page.locator(".closure-status")
    expect(status).to_contain_text(re.compile("[−-]340,00"))  # as a Swedish reader writes it
    note = "Växelkassan räknades före avslutet; 340 kr ligger i kassaskåpet."
    status.locator("[name=note]").fill(note)
    status.locator("button", has_text="Spara kommentar").click()
    expect(status).to_contain_text("Bokfört", timeout=SLOW)
    j.look("4-note-posted")
    j.stack.settle()  # the post's job goes on to check the day, which the month board shows

    # The month again: both held days matched; a day Fortnox differs on is reviewed with a comment.
    j.nav("Avstämning")
    j.open_month(cash_day)
    expect(j.page.locator(f"#cell-S20-{cash_day}")).to_have_class(MATCHED)
    edited = j.page.locator(f"#cell-S14-{edited_day}")
    edited.locator("a").click()
    panel = j.page.locator("#panel")
    expect(panel.locator("tr.is-diff").first).to_be_visible()
    j.bound()  # the review form came with the panel
    panel.locator("input[name=comment]").fill("Kortbeloppet ändrades för hand i Fortnox; rättat.")
    panel.locator("button", has_text="Markera som granskad").click()
    expect(panel.locator(".recon-reviews")).to_contain_text("rättat")
    expect(edited).to_have_class(re.compile(r"\bis-reviewed\b"))
    j.look("5-reviewed")

    order_month_report(j, amex_day)
    j.look("6-report-ready")
