"""In real Chromium: turn the daily e-mail off; the admin reads the caught digest and follows it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlmodel import Session

from app.digest import service
from tests.digest.smtp import Smtp, smtp  # noqa: F401  (the fixture)
from tests.digest.world import build_world
from tests.e2e.axe import assert_accessible
from tests.e2e.browser import sign_in

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}


def _send_all(app: Flask, session: Session) -> dict[str, str]:
    """Today's digest for every member, as the morning job sends it: who got what."""
    with app.app_context():
        return {
            user.email: service.send(session, user, date.today())[0]
            for user in service.recipients(session)
        }


def test_turn_the_digest_off_then_read_what_was_caught(
    app: Flask,
    live: str,
    session: Session,
    smtp: Smtp,  # noqa: F811
    new_page: Callable[..., Any],
    shots: Path,
) -> None:
    """Erik turns it off on his account page; Anna, an admin, reads hers in the demo's catcher."""
    app.config.update(PUBLIC_URL=live, MAIL_CATCHER_DIR=str(smtp.folder))
    build_world(session)

    erik = new_page(viewport=PHONE)
    sign_in(erik, live, "erik@example.se")
    erik.locator(".topbar__user").click()
    digest = erik.locator("#digest")
    expect(digest.get_by_role("heading")).to_have_text("Daily e-mail")
    expect(erik.locator("footer")).not_to_contain_text("Mail caught")  # not an admin
    digest.get_by_role("button", name="Turn the daily e-mail off").click()
    expect(erik.locator("#flash")).to_contain_text("The daily e-mail is off.")
    expect(digest.get_by_role("button", name="Turn the daily e-mail on")).to_be_visible()
    erik.screenshot(path=str(shots / "digest-off-390.png"), full_page=True)
    assert_accessible(erik, "the account page with the daily e-mail off")

    sent = _send_all(app, session)
    assert sent["erik@example.se"] == service.OFF and sent["anna@example.se"] == service.SENT

    anna = new_page(viewport=WIDE)
    sign_in(anna, live, "anna@example.se")
    anna.locator("footer").get_by_role("link", name="Mejl som fångats i demon").click()
    expect(anna.locator("h1")).to_have_text("Mejl som fångats i demon")
    rows = anna.locator("#caught-mail tbody tr")
    expect(rows).to_have_count(2)  # Anna's and Maja's: Erik's is off, Ada has nothing
    expect(rows.filter(has_text="anna@example.se")).to_contain_text("butiksdagar behöver dig")
    anna.screenshot(path=str(shots / "caught-mail-1366.png"), full_page=True)
    assert_accessible(anna, "the caught-mail list")

    rows.filter(has_text="anna@example.se").get_by_role("link").click()
    expect(anna.locator("pre.mail-text")).to_contain_text("Hej Anna,")
    anna.screenshot(path=str(shots / "caught-one-1366.png"), full_page=True)
    assert_accessible(anna, "one caught mail")
    anna.get_by_role("link", name="Öppna HTML-versionen").click()
    expect(anna.locator("h1")).to_have_text("Hej Anna,")
    anna.screenshot(path=str(shots / "digest-html-1366.png"), full_page=True)
    assert_accessible(anna, "the digest's HTML part")
    anna.get_by_role("link", name="Åtgärda orsaken; sedan bokförs det av sig självt").click()
    expect(anna).to_have_url(re.compile(r"/dashboard/cell/S12/2026-09-14$"))
