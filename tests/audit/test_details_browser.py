"""In Chromium, in Swedish: the audit page labels an event's details and words its reasons."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from tests.audit.test_details import company  # noqa: F401
from tests.e2e.browser import sign_in

pytestmark = pytest.mark.e2e


def test_the_audit_page_reads_in_swedish(
    live: str,
    session: Session,
    company: Any,  # noqa: F811
    new_page: Callable[..., Any],
    shots: Path,
) -> None:
    page = new_page(viewport={"width": 1400, "height": 900})
    sign_in(page, live, "sv@cafe.se")
    page.goto(f"{live}/c/{company.id}/audit")
    table = page.locator("#audit")
    expect(table).to_contain_text("Orsak: Betalsättet AMEX har inget konto i konteringen.")
    expect(table).to_contain_text("Fortnox hade ett tillfälligt fel (HTTP 502). (Bad Gateway)")
    expect(table).to_contain_text("Typ: faktura")
    for english in ("reason:", "holds:", "kind:", "bookkept"):
        expect(table).not_to_contain_text(english)
    page.screenshot(path=str(shots / "audit-details-sv.png"), full_page=True)
