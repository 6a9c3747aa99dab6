"""The admin's onboarding of Bageriet Norr: Authorize, BAS mapping, pre-flight, a POS token."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from app.seed import demo_closure, issue_tokens, sandbox_tenant
from tests.e2e.journey import SLOW, VIEWPORT, Journey, back
from tests.e2e.stack import Stack

ORGNR = "559012-3456"


def in_fortnox(stack: Stack, *creates: tuple[str, dict[str, Any]]) -> None:
    """What the admin does in Fortnox itself (not in Kassabok): add a cost center, a series."""
    client = {"client_id": "fortnox-ui", "client_secret": "ui", "redirect_uri": stack.url}
    httpx.post(f"{stack.sandbox}/_sandbox/clients", json=client).raise_for_status()
    tenant = sandbox_tenant(stack.sandbox, ORGNR)
    pair = issue_tokens(stack.sandbox, "fortnox-ui", "ui", tenant, "bookkeeping costcenter")
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    for path, body in creates:
        httpx.post(f"{stack.sandbox}/3/{path}", json=body, headers=headers).raise_for_status()


def admin_onboards_a_company(
    new_page: Callable[..., Any], stack: Stack, shots: Path, tmp: Path
) -> None:
    """From not connected to the first closure posted, every step seen in the portal."""
    j = Journey(new_page(viewport=VIEWPORT), stack, shots, "admin")
    j.page.on("dialog", lambda dialog: dialog.accept())  # "Apply the BAS default?"
    j.sign_in("admin@demo.kassabok.se")
    bakery = j.page.locator("#overview tr", has_text="Bageriet Norr AB")
    expect(bakery).to_contain_text("Inte ansluten")
    bakery.locator("a").click()

    # Authorize on Fortnox's consent page, for the bakery's own Fortnox company.
    j.page.click("nav.company-nav >> text=Fortnox")
    expect(j.page.locator("#connection-state")).to_contain_text("Inte ansluten")
    j.page.click("#authorize")
    j.page.wait_for_url(f"{stack.sandbox}/oauth-v1/auth*")
    j.page.check("label:has-text('Bageriet Norr AB') input[type=radio]")
    j.page.click("button[value=approve]")
    expect(j.page.locator("#connection-state")).to_have_text(re.compile(r"^\W*Ansluten$"))
    expect(j.page.locator("main")).to_contain_text("Ansluten till Bageriet Norr AB")
    summary = j.page.locator("#preflight-summary")
    expect(summary).to_contain_text("misslyckades")
    red = j.page.locator("[data-check][data-ok=false]").first
    expect(red).to_be_visible()
    red.scroll_into_view_if_needed()
    j.look("1-connected-checks-red")

    # The red lines say what to do: map the accounts here, add B01 and series K in Fortnox.
    j.page.click("nav.company-nav >> text=Kontering")
    j.page.click("text=Tillämpa BAS-standard")
    expect(j.page.locator("#mapping-editor")).to_contain_text("version 1", timeout=SLOW)
    in_fortnox(
        stack,
        ("costcenters", {"CostCenter": {"Code": "B01", "Description": "Bageriet Norr"}}),
        ("voucherseries", {"VoucherSeries": {"Code": "K", "Description": "Kassa", "Manual": True}}),
    )
    j.page.click("nav.company-nav >> text=Fortnox")
    j.page.click("#rerun-preflight")
    expect(summary).to_contain_text("Alla kontroller godkända", timeout=SLOW)
    expect(j.page.locator("[data-check][data-ok=false]")).to_have_count(0)
    expect(j.page.locator("#fortnox-badge")).to_contain_text("Fortnox anslutet")  # swapped too
    j.page.evaluate("window.scrollTo(0, 0)")
    j.look("2-checks-green")

    # A token for the POS, shown once.
    j.page.click("nav.company-nav >> text=API-nycklar")
    j.page.fill("#create-token input[name=name]", "Kassan i Norr")
    j.page.click("#create-token button[type=submit]")
    token = j.page.locator("#token-value").input_value()
    assert token.startswith("kb_")
    j.look("3-token-created")

    # The POS sends yesterday's closure; it posts without anyone touching it.
    closure = demo_closure("B01", 1, back(1), random.Random(7))
    answer = httpx.post(
        f"{stack.url}/api/v1/closures", json=closure, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 201, answer.text
    j.page.click("nav.company-nav >> text=Dagsavslut")
    rows = j.page.locator("#closure-rows tbody tr")
    expect(rows).to_have_count(1)
    rows.locator("a").click()
    expect(j.page.locator("h1")).to_have_text(re.compile(r"^Z1 · B01"))  # one page, not nested
    status = j.page.locator(".closure-status")
    expect(status).to_contain_text("Bokfört", timeout=SLOW)
    expect(status).to_contain_text(re.compile(r"K 1\b"))
    j.look("4-first-closure-posted")
