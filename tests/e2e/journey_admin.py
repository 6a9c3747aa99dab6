"""The admin's onboarding of a new client: the company, its store, Authorize, BAS mapping,
pre-flight, a POS token, the first closure posted."""

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

NAME, ORGNR = "Bageriet Syd AB", "559876-5435"  # a valid check digit (Luhn)
STORE = ("BS1", "Bageriet Syd", "BS1")  # POS store id, name, Fortnox cost center


def has_fortnox(stack: Stack) -> None:
    """The new client already keeps its books in Fortnox (here: a sandbox tenant with BAS)."""
    try:
        sandbox_tenant(stack.sandbox, ORGNR)
    except LookupError:
        tenant = {"name": NAME, "orgnr": ORGNR, "seed": "bas"}
        httpx.post(f"{stack.sandbox}/_sandbox/tenants", json=tenant).raise_for_status()


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
    has_fortnox(stack)
    j.sign_in("admin@demo.kassabok.se")

    # A new client: the company, from the overview. A mistyped digit is caught at once.
    j.page.click("#new-company-link")
    expect(j.page.locator("#new-company")).to_be_visible()
    j.bound()
    j.page.fill("#new-company input[name=name]", NAME)
    j.page.fill("#new-company input[name=orgnr]", ORGNR[:-1] + "6")
    j.page.click("#new-company button[type=submit]")
    expect(j.page.locator("#orgnr-errors")).to_contain_text("kontrollera sista siffran")
    j.look("0-new-company")
    j.page.fill("#new-company input[name=orgnr]", ORGNR)
    j.page.click("#new-company button[type=submit]")

    # It lands on the stores, told what comes next; the admin adds the bakery's one store.
    expect(j.page.locator("#flash")).to_contain_text(f"{NAME} är skapat")
    expect(j.page.locator("h1")).to_have_text("Butiker")
    j.look("0-company-created")
    for name, value in zip(("store_id", "name", "cost_center"), STORE, strict=True):
        j.page.fill(f"#add-store input[name={name}]", value)
    j.page.click("#add-store button[type=submit]")
    expect(j.page.locator("#stores tbody")).to_contain_text(STORE[1])

    # Its closures go to a voucher series of their own, K (Kassa), as at the other bakery.
    j.nav("Inställningar")
    j.page.fill("input[name=voucher_series]", "K")
    j.page.click("text=Spara inställningar")
    expect(j.page.locator("#flash")).to_contain_text("Inställningarna har sparats")

    # Authorize on Fortnox's consent page, for the bakery's own Fortnox company.
    j.nav("Fortnox")
    expect(j.page.locator("#connection-state")).to_contain_text("Inte ansluten")
    j.page.click("#authorize")
    j.page.wait_for_url(f"{stack.sandbox}/oauth-v1/auth*")
    j.page.check(f"label:has-text('{NAME}') input[type=radio]")
    j.page.click("button[value=approve]")
    expect(j.page.locator("#connection-state")).to_have_text(re.compile(r"^\W*Ansluten$"))
    expect(j.page.locator("main")).to_contain_text(f"Ansluten till {NAME}")
    summary = j.page.locator("#preflight-summary")
    expect(summary).to_contain_text("misslyckades")
    red = j.page.locator("[data-check][data-ok=false]").first
    expect(red).to_be_visible()
    red.scroll_into_view_if_needed()
    j.look("1-connected-checks-red")

    # The red lines say what to do: map the accounts here, add BS1 and series K in Fortnox.
    j.nav("Kontering")
    j.page.click("text=Tillämpa BAS-standard")
    expect(j.page.locator("#mapping-editor")).to_contain_text("version 1", timeout=SLOW)
    in_fortnox(
        stack,
        ("costcenters", {"CostCenter": {"Code": STORE[2], "Description": STORE[1]}}),
        ("voucherseries", {"VoucherSeries": {"Code": "K", "Description": "Kassa", "Manual": True}}),
    )
    j.nav("Fortnox")
    j.page.click("#rerun-preflight")
    expect(summary).to_contain_text("Alla kontroller godkända", timeout=SLOW)
    expect(j.page.locator("[data-check][data-ok=false]")).to_have_count(0)
    expect(j.page.locator("#fortnox-badge")).to_contain_text("Fortnox anslutet")  # swapped too
    j.page.evaluate("window.scrollTo(0, 0)")
    j.look("2-checks-green")

    # A token for the POS, shown once.
    j.nav("API-nycklar")
    j.page.fill("#create-token input[name=name]", "Kassan i Syd")
    j.page.click("#create-token button[type=submit]")
    shown = j.page.locator("#token-value")
    expect(shown).to_have_value(re.compile(r"^kb_"))
    token = shown.input_value()
    j.look("3-token-created")

    # The POS sends yesterday's closure; it posts without anyone touching it.
    closure = demo_closure(STORE[0], 1, back(1), random.Random(7))
    answer = httpx.post(
        f"{stack.url}/api/v1/closures", json=closure, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 201, answer.text
    j.nav("Dagsavslut")
    rows = j.page.locator("#closure-rows tbody tr")
    expect(rows).to_have_count(1)
    rows.locator("a").click()
    expect(j.page.locator("h1")).to_have_text(re.compile(rf"^Z1 · {STORE[0]}"))  # not nested
    status = j.page.locator(".closure-status")
    expect(status).to_contain_text("Bokfört", timeout=SLOW)
    expect(status).to_contain_text(re.compile(r"K 1\b"))
    j.look("4-first-closure-posted")
