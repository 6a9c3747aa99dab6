"""Steps every journey takes: sign in from the keyboard, reach a control by Tab, look, check axe."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from app.seed import DEMO_PASSWORD, REGISTERS, demo_days
from app.seed_bank import METHODS, Planted, cash_booked, plan
from tests.e2e.axe import assert_accessible
from tests.e2e.browser import BOUND, assert_no_csp_violation
from tests.e2e.stack import Stack

VIEWPORT = {"width": 1280, "height": 900}
SLOW = 90_000  # ms: a job on a busy two-core machine (post, reconcile, build a PDF)
# The focused control must show it (static/css: :focus-visible outline).
FOCUS_SHOWN = """() => { const s = getComputedStyle(document.activeElement);
  return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 || s.boxShadow !== "none"; }"""

JOURNEY_DAYS = "21"  # the stack's days of demo closures unless KASSABOK_JOURNEY_DAYS says


def back(days: int) -> date:
    """The seeded business day `days` before today (`flask seed closures` counts the same way)."""
    return date.today() - timedelta(days=days)


def bank_plan() -> Planted:
    """Where app/seed_bank.py planted the bank's differences: its own plan for the seeded days.

    The days are the stack's (KASSABOK_JOURNEY_DAYS, as tests/e2e/conftest.py reads it); every
    store has takings every day, as the seed's closures in the books nearly do.
    """
    days = demo_days(date.today(), _journey_days())
    takings = {m: {(s, d): Decimal(100) for s in REGISTERS for d in days} for m in METHODS}
    return plan(takings)


def cash_waiting(store: str, not_in_books: tuple[int, ...]) -> list[date]:
    """The store's seeded days whose cash the demo's statement does not carry yet, oldest first.

    not_in_books: the days (counted back from today) whose closures were not in the books when
    the seed built the bank. Cash goes in on the Monday after its day; the statement ends on the
    last day, so on a Tuesday the week's cash is all in (and the manager has nothing waiting).
    """
    cutoff = bank_plan().cutoff
    skipped = {back(n) for n in not_in_books}
    waiting = []
    for day in demo_days(date.today(), _journey_days()):
        if day not in skipped and cash_booked(day) > cutoff:
            waiting.append(day)
    return waiting


def _journey_days() -> int | None:
    count = os.environ.get("KASSABOK_JOURNEY_DAYS", JOURNEY_DAYS)
    return int(count) if count else None


@dataclass
class Journey:
    """One person's visit: their page, the stack, where screenshots go and what they are named."""

    page: Any
    stack: Stack
    shots: Path
    role: str

    def go(self, path: str) -> None:
        """Open a page of the portal by its address (as from a bookmark)."""
        self.page.goto(self.stack.url + path)

    def sign_in(self, email: str) -> None:
        """Sign in with the keyboard only: type, Tab to the password, Enter."""
        self.go("/auth/login")
        self.page.focus("#email")
        self.page.keyboard.type(email)
        self.page.keyboard.press("Tab")
        expect(self.page.locator("#password")).to_be_focused()
        self.page.keyboard.type(DEMO_PASSWORD)
        self.page.keyboard.press("Enter")
        # Let in: the overview, or a store manager of one store her month (board, issue 15.7).
        self.page.wait_for_url(lambda url: url.startswith(self.stack.url) and "/auth/" not in url)

    def nav(self, label: str) -> None:
        """Open a page from the company menu; return once htmx has bound its controls."""
        link = self.page.locator("nav.company-nav").get_by_role("link", name=label, exact=True)
        path = link.get_attribute("href")
        link.click()
        self.page.wait_for_url(re.compile(re.escape(self.stack.url + path) + r"(\?|$)"))
        self.bound()

    def bound(self) -> None:
        """Wait until htmx has swapped, settled and bound the page's controls (after a swap)."""
        self.page.wait_for_function(BOUND)

    def open_month(self, day: date) -> None:
        """On the month board, step to day's month (back or forth) unless shown; return once bound.

        The board opens on the oldest month with something to do, so the shown month is read, not
        assumed. Until a month is swapped in, the one before answers every question (its legend
        counts, its store list): each step waits for the address that names the month.
        """
        want = f"{day:%Y-%m}"
        shown = self.page.locator("#board input[name=month]").first
        for _ in range(24):
            self.bound()
            now = shown.get_attribute("value") or want
            if now == want:
                break
            rel = "prev" if now > want else "next"
            target = self.page.locator(f".recon-months a[rel={rel}]").get_attribute("href") or ""
            step = re.search(r"month=(\d{4}-\d{2})", target)
            self.page.locator(f".recon-months a[rel={rel}]").click()
            if step:
                self.page.wait_for_url(re.compile(rf"[?&]month={step.group(1)}(&|$)"))
                expect(shown).to_have_value(step.group(1))
        expect(shown).to_have_value(want)
        self.bound()

    def open_bank_month(self, day: date) -> None:
        """On the money-arrived page, step a month at a time to day's month; return once bound."""
        want = f"{day:%Y-%m}"
        shown = self.page.locator("#clearing-month")
        for _ in range(24):
            self.bound()
            now = shown.get_attribute("data-month") or want
            if now == want:
                break
            first = date.fromisoformat(f"{now}-01")
            if now > want:
                step, label = first - timedelta(days=1), "Föregående månad"
            else:
                step, label = first + timedelta(days=31), "Nästa månad"
            shown.get_by_role("link", name=re.compile(label)).click()
            expect(shown).to_have_attribute("data-month", f"{step:%Y-%m}")
        expect(shown).to_have_attribute("data-month", want)
        self.bound()

    def look(self, name: str) -> None:
        """Check the page with axe and for CSP violations; save what the window shows, by step."""
        # While htmx settles a swap, the new elements wear the old ones' classes (a form's
        # htmx-request fades its buttons): look once it has settled (and bound, for what follows).
        self.bound()
        assert_no_csp_violation(self.page, f"{self.role} up to {name}")
        assert_accessible(self.page, f"{self.role}: {name}")
        self.page.screenshot(path=str(self.shots / f"{self.role}-{name}.png"))

    def tab_to(self, label: str, limit: int = 80) -> None:
        """Press Tab until the focused control reads label; it must show that it has focus."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            text = self.page.evaluate(
                "(document.activeElement.innerText || document.activeElement.value || '').trim()"
            )
            if text == label:
                assert self.page.evaluate(FOCUS_SHOWN), f"{label!r} has focus but shows none"
                return
        raise AssertionError(f"{label!r} not reached with {limit} Tabs")

    def mark_page(self) -> None:
        """Remember this document, to prove later that htmx swapped parts and nothing reloaded."""
        self.page.evaluate("window.__sameDocument = true")

    def not_reloaded(self) -> bool:
        """True while the document marked by mark_page is still the one shown."""
        return self.page.evaluate("window.__sameDocument === true")


def order_month_report(j: Journey, day: Any) -> None:
    """Order the PDF of the day's month on the reports page and watch it build to Ready."""
    j.nav("Rapporter")
    j.page.fill("input[name=start]", day.replace(day=1).isoformat())
    j.page.fill("input[name=end]", back(1).isoformat())
    reports = j.page.locator("#reports tbody.report")
    ordered = reports.count()  # the page is bound: its list is the server's, whole
    j.page.click("text=Skapa rapporten")
    expect(reports).to_have_count(ordered + 1)  # newest first: an older Ready row is not this one
    row = reports.first
    expect(row).to_contain_text("Klar", timeout=SLOW)  # it polled itself from the queue to Ready
    expect(row.locator("a", has_text="Ladda ner PDF")).to_be_visible()
