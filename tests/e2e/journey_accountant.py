"""The accountant's morning: overview, the month, exceptions, a mapping fix, a note, a review."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.journey import SLOW, VIEWPORT, Journey, back, bank_plan, order_month_report
from tests.e2e.stack import Stack

MATCHED = re.compile(r"\bst-matched\b")
ROLL_FORWARD = [  # each clearing account's month, term by term (templates/clearing/_month.html)
    "Ingående saldo",
    "+ Försäljning",
    "− Returer",
    "− Avgifter",
    "− Utbetalningar och insättningar",
    "= Utgående saldo",
    re.compile(r"^På väg den "),
    "Differens",
]


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
    accountant_reads_the_bank(j)


def accountant_reads_the_bank(j: Journey) -> None:
    """Bank: each clearing account's month and what does not close, a late card day and the
    short deposit traced to the statement, and the payouts' fee vouchers posted in Fortnox.

    What the seed planted depends on the days seeded: 21 days or more hold both a missing payout
    and a short deposit on any day of the year (tests/e2e/journey.py JOURNEY_DAYS).
    """
    planted = bank_plan().plant
    assert planted.missing and planted.short_cash, "too few days seeded for the bank's plants"
    j.nav("Bank")
    expect(j.page.locator("h1")).to_have_text("Pengar på banken")
    j.open_bank_month(back(1))  # the month of the last closures, rolled forward as of today
    card, cash = j.page.locator("#account-1580"), j.page.locator("#account-1910")
    swish = j.page.locator(".clearing-account", has=j.page.locator("h3", has_text="Swish"))
    for account, method in ((card, "Kort"), (cash, "Kontant"), (swish, "Swish")):
        expect(account.locator("h3")).to_contain_text(method)
        expect(account.locator("th")).to_have_text(ROLL_FORWARD)
    expect(swish.locator(".badge")).to_have_text("✓ går jämnt ut på 0,00")
    for ref in planted.missing:
        missing = card.locator(".clearing-findings li[data-kind=payout_missing]", has_text=ref)
        expect(missing).to_contain_text(f"Utbetalning {ref}: inlösaren har betalat ut den")
    for (store, _monday), short in planted.short_cash.items():
        found = cash.locator(".clearing-findings li[data-kind=deposit_short]")
        expect(found).to_contain_text(f"Insättning från {store}")
        expect(found.locator("strong")).to_have_text(kronor(short))
    j.page.locator("#clearing-as-of").evaluate("h => h.scrollIntoView()")  # the accounts at top
    j.look("7-bank-month")

    for ref in sorted(planted.missing):
        late_card_day(j, ref)
    for (store, monday), short in planted.short_cash.items():
        short_deposit(j, store, monday, short)

    # The fee vouchers: one per payout, each posted once to Fortnox by the worker.
    j.nav("Bank")
    j.page.get_by_role("link", name="Kontoutdrag och avräkningar").click()
    expect(j.page.locator("h1")).to_have_text("Kontoutdrag och avräkningar")
    fees = j.page.locator("#fee-vouchers tbody tr")
    busy = j.page.locator("#fee-vouchers tr:is([data-state=queued], [data-state=posting])")
    expect(fees.first).to_be_visible()
    expect(busy).to_have_count(0, timeout=SLOW)
    expect(fees.filter(has_text="Bokfört").first).to_contain_text(re.compile(r"K\s*\d+"))
    for ref in [*planted.missing, *([planted.fee[0]] if planted.fee else [])]:
        expect(fees.filter(has_text=ref)).to_have_attribute("data-state", "posted")
    j.page.locator("#payout-fees").evaluate("s => s.scrollIntoView()")
    j.look("10-fee-vouchers")


def kronor(amount: Decimal) -> str:
    """An amount as the Swedish page writes it (whitespace is compared normalised)."""
    whole, cents = f"{amount:,.2f}".split(".")
    return f"{whole.replace(',', ' ')},{cents} kr"


def late_card_day(j: Journey, ref: str) -> None:
    """The late card day of a payout the bank never got: its lines name it, no entry paid it."""
    day = datetime.strptime(ref, "B%Y%m%d").date()  # the payout is named by its first day
    j.nav("Bank")
    j.open_bank_month(day)
    late = j.page.locator(f"#clearing-days tr[id$='-{day}'] td", has_text="Försenad")
    late.first.locator("a[data-method=CARD]").click()
    detail = j.page.locator("#clearing-day")
    expect(detail).to_have_attribute("data-status", "late")
    expect(detail.locator("h1")).to_contain_text("Kort ! Försenad")
    expect(detail.locator("#day-lines")).to_contain_text(ref)
    expect(detail).to_contain_text(f"{ref}: väntat")
    expect(detail).to_contain_text("inte på banken")
    expect(detail).to_contain_text("Ingen bankpost har betalat den här dagen än.")
    j.look("8-late-card-day")


def short_deposit(j: Journey, store: str, monday: date, short: Decimal) -> None:
    """A store's short cash deposit: the statement's entry carries less than its cash."""
    j.nav("Bank")
    j.open_bank_month(monday - timedelta(days=1))  # the last day the deposit carries
    row = j.page.locator(f"#clearing-days tr[id^='day-{store}-']")
    cell = row.locator("td", has=j.page.locator("a[data-method=CASH]"))
    cell.filter(has=j.page.locator("[data-status=short]")).first.locator("a").click()
    detail = j.page.locator("#clearing-day")
    expect(detail).to_have_attribute("data-status", "short")
    expect(detail.locator("h1")).to_contain_text(f"{store} ·")
    expect(detail.locator("h1")).to_contain_text(f"{kronor(short)} för lite")
    expect(detail.locator("#day-entries")).to_contain_text(f"Insättning dagskassa {store}")
    expect(detail).not_to_contain_text("inlösaren")  # cash is deposited, not settled
    j.look("9-short-deposit")
