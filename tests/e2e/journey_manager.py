"""The store manager's retry: only their store, a failed day retried from the keyboard, live."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.journey import SLOW, VIEWPORT, Journey, back, cash_waiting
from tests.e2e.stack import Stack


def legend(j: Journey, status: str) -> Any:
    """The legend's count of a status."""
    return j.page.locator(f"#legend-{status} .count")


def count(j: Journey, status: str) -> int:
    """The legend's count of a status, as a number (read once the month's board is bound)."""
    return int(legend(j, status).inner_text())


def store_manager_retries_a_failed_day(
    new_page: Callable[..., Any], stack: Stack, shots: Path, tmp: Path
) -> None:
    """Maja sees S12 alone, retries its failed day and watches the cell turn matched."""
    j = Journey(new_page(viewport=VIEWPORT), stack, shots, "manager")
    failed_day = back(5)
    j.sign_in("manager@demo.kassabok.se")

    expect(j.page.locator("h1")).to_have_text("Avstämning")  # one store: she lands on its month
    j.open_month(failed_day)
    stores = j.page.locator("select[name=store] option")
    expect(stores).to_have_text(["Alla butiker", re.compile("S12")])
    expect(j.page.locator("[id^=cell-S14-], [id^=cell-S20-]")).to_have_count(0)

    j.mark_page()
    mix = j.page.locator("#chart-svg rect.mix title", has_text=f"{failed_day} · Misslyckade")
    expect(mix).to_have_count(1)  # the chart's status strip shows the failed day
    cell = j.page.locator(f"#cell-S12-{failed_day}")
    expect(cell).to_contain_text("Misslyckade")
    # The failed day's month is on the page: its legend counts it (the one read before the retry).
    expect(legend(j, "failed")).to_have_text(re.compile(r"^[1-9]\d*$"))
    failed, matched = (count(j, status) for status in ("failed", "matched"))
    cell.locator("a").click()
    panel = j.page.locator("#panel")
    expect(panel).to_contain_text("Försök igen")
    j.look("1-failed-day")

    j.tab_to("Försök igen", limit=120)  # from the cell, through the grid, into the panel
    j.page.keyboard.press("Enter")
    expect(cell).to_have_class(re.compile(r"\bst-matched\b"), timeout=SLOW)
    expect(panel).to_contain_text("Avstämd")
    expect(panel).not_to_contain_text("Arbetar")  # the progress line is gone: polling stopped
    # The legend counts the cells as they are now, and the chart's status strip follows.
    expect(legend(j, "failed")).to_have_text(str(failed - 1))
    expect(legend(j, "matched")).to_have_text(str(matched + 1))
    expect(mix).to_have_count(0)
    assert j.not_reloaded(), "the page was reloaded; htmx should have swapped the panel and cell"
    j.page.evaluate("window.scrollTo(0, 0)")
    j.look("2-retried-matched")

    # Board: on her phone the month is a calendar of 44 px days; a tapped day comes into view.
    j.page.set_viewport_size({"width": 390, "height": 844})
    j.page.locator(".recon-grid").scroll_into_view_if_needed()
    j.look("3-phone-month")
    cell.locator("a").click()
    expect(panel.locator("h2")).to_be_in_viewport()
    j.look("4-phone-day")
    manager_sees_cash_not_in_the_bank(j)


def manager_sees_cash_not_in_the_bank(j: Journey) -> None:
    """Bank: her store's cash that has not reached the bank, none of the others', no accounts."""
    j.page.set_viewport_size(VIEWPORT)
    j.nav("Bank")
    expect(j.page.locator("h1")).to_have_text("Pengar på banken")
    # S12's last day awaits approval and its failed day was failed when the seed built the bank.
    waiting = cash_waiting("S12", not_in_books=(1, 5))
    j.open_bank_month(waiting[-1] if waiting else back(2))
    expect(j.page.locator("#clearing-month h2").first).to_have_text(
        "Kontanter som inte nått banken"
    )
    expect(j.page.locator("#clearing-store option")).to_have_text(
        ["Alla butiker", re.compile("^S12 ")]
    )
    expect(j.page.locator("#clearing-days thead th")).to_have_text(["Butik", "Dag", "Kontant"])
    days = j.page.locator("#clearing-days tbody tr")
    expect(j.page.locator(".clearing-account")).to_have_count(0)  # no roll-forward for her
    expect(j.page.locator("#clearing-days tbody tr:not([id^=day-S12-], .empty-row)")).to_have_count(
        0
    )
    expect(j.page.locator("#clearing-days [data-status=settled]")).to_have_count(0)
    if not waiting:  # the statement carries all her store's cash (a Tuesday's demo)
        j.look("5-cash-not-in-bank")
        return
    expect(days.first).to_have_id(re.compile(r"^day-S12-"))
    expect(days.filter(has=j.page.locator("[data-status=in_transit]")).first).to_be_visible()
    j.look("5-cash-not-in-bank")

    # The last day's cash: its takings, when the deposit is due, and no bank entry yet.
    waiting = days.filter(has=j.page.locator("[data-status=in_transit]")).last
    waiting.locator("a[data-method=CASH]").click()
    detail = j.page.locator("#clearing-day")
    expect(detail).to_have_attribute("data-status", "in_transit")
    expect(detail.locator("h1")).to_contain_text(re.compile(r"^S12 · .* · Kontant → På väg"))
    expect(detail).to_contain_text("Ingen bankpost har betalat den här dagen än.")
    expect(detail).not_to_contain_text("S14")
    j.look("6-cash-day-in-transit")
