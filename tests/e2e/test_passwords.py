"""In real Chromium: change one's password, set up two-factor sign-in and sign in with a code."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from tests.e2e.axe import assert_accessible
from tests.e2e.browser import sign_in
from tests.factories import PASSWORD, make_company, make_user

pytestmark = pytest.mark.e2e
NEW_PASSWORD = "Blue-otter-kettle-42"


def _fill_password_form(page: Any, current: str, new: str) -> None:
    """Type the change-password form and send it."""
    form = page.locator("#change-password")
    form.get_by_label("Current password").fill(current)
    form.get_by_label("New password", exact=True).fill(new)
    form.get_by_label("New password again").fill(new)
    form.get_by_role("button", name="Change password").click()


def test_change_password(
    live: str, session: Session, new_page: Callable[..., Any], shots: Path
) -> None:
    """From the name in the header to a new password; the other browser is signed out."""
    make_user(session, "erik@example.se", make_company(session), "accountant")
    page, other = new_page(), new_page()
    sign_in(other, live, "erik@example.se")
    sign_in(page, live, "erik@example.se")
    page.locator(".topbar__user").click()
    expect(page.locator("h1")).to_have_text("Your account")
    assert_accessible(page, "the account page")

    _fill_password_form(page, PASSWORD, "aaaaaaaaaa")
    expect(page.locator("#change-password .field__errors")).to_contain_text("too easy to guess")
    page.screenshot(path=str(shots / "password-refused.png"), full_page=True)
    assert_accessible(page, "the refused password")

    _fill_password_form(page, PASSWORD, NEW_PASSWORD)
    expect(page.locator("#flash")).to_contain_text("Other sessions are signed out")
    page.screenshot(path=str(shots / "password-changed.png"), full_page=True)
    other.goto(f"{live}/")
    expect(other).to_have_url(re.compile(r"/auth/login"))

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/auth/login"))
    page.fill("#email", "erik@example.se")
    page.fill("#password", NEW_PASSWORD)
    page.click("form.login-form button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/auth/login"))


def test_two_factor_sign_in(
    live: str, session: Session, new_page: Callable[..., Any], shots: Path
) -> None:
    """Set up TOTP from the QR code's key, then sign in with the password and a code."""
    company = make_company(session)
    make_user(session, "anna@example.se", company, "admin")
    page = new_page()
    sign_in(page, live, "anna@example.se")
    page.goto(f"{live}/c/{company.id}/users")
    page.get_by_role("button", name="Require it for everyone").click()
    expect(page).to_have_url(re.compile(r"/account/two-factor$"))  # Anna herself first
    expect(page.locator(".notice")).to_contain_text("requires it")
    qr = page.locator("img.totp-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    page.screenshot(path=str(shots / "totp-setup.png"), full_page=True)
    assert_accessible(page, "the two-factor setup")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator("#two-factor")).to_contain_text("On: after your password")

    page.goto(f"{live}/c/{company.id}/users")
    expect(page.locator("#require-totp")).to_contain_text("1 of 1 members")
    page.screenshot(path=str(shots / "totp-required-users.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    page.fill("#email", "anna@example.se")
    page.fill("#password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/auth/code$"))
    assert_accessible(page, "the code step")  # signed out, so in Swedish, the default
    page.fill("#code", "000000")
    page.click("form.login-form button[type=submit]")
    expect(page.locator(".field__errors")).to_contain_text("Koden stämmer inte")
    page.screenshot(path=str(shots / "totp-code-wrong.png"), full_page=True)
    # The code of the setup is spent; the app's next one signs in.
    page.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("form.login-form button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/auth/"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
