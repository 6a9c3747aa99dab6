"""The sandbox answers Fortnox's web app addresses (what Kassabok links voucher numbers to)."""

from __future__ import annotations

import re

from tests.sandbox.conftest import Fortnox, voucher


def _workspace(fortnox: Fortnox) -> str:
    """The tenant's web app id, as the control API lists it."""
    listed = fortnox.client.get("/_sandbox/tenants").json["tenants"]
    [space] = [t["workspace"] for t in listed if t["id"] == fortnox.tenant]
    assert re.fullmatch(r"[0-9a-f]{32}", space)
    return space


def test_a_voucher_and_an_invoice_open_at_their_web_app_addresses(fortnox: Fortnox) -> None:
    fortnox.post(
        "/3/vouchers", voucher((1910, "1820.00", "0", "S12"), (3002, "0", "1820.00", "S12"))
    )
    body = {"Invoice": {"CustomerNumber": "1001", "InvoiceRows": [{"Price": 99.99, "VAT": 25}]}}
    number = fortnox.post("/3/invoices", body).json["Invoice"]["DocumentNumber"]
    space = _workspace(fortnox)
    page = fortnox.client.get(f"/app/{space}/bf/voucher/A-1").get_data(as_text=True)
    assert "Verifikation A1" in page and "1\u00a0820,00" in page
    page = fortnox.client.get(f"/app/{space}/kf/invoice/{number}").get_data(as_text=True)
    assert f"Faktura {number}" in page and "Att betala" in page
    lobby = fortnox.client.get(f"/app/{space}/")
    assert lobby.status_code == 302 and lobby.location.endswith(f"/tenants/{fortnox.tenant}")
    tenant_page = fortnox.client.get(f"/tenants/{fortnox.tenant}").get_data(as_text=True)
    assert f"/app/{space}/" in tenant_page  # the address a person copies, as from Fortnox


def test_unknown_documents_and_companies_are_404(fortnox: Fortnox) -> None:
    space = _workspace(fortnox)
    assert fortnox.client.get(f"/app/{space}/bf/voucher/A-99").status_code == 404
    assert fortnox.client.get(f"/app/{space}/kf/invoice/99").status_code == 404
    assert fortnox.client.get(f"/app/{'0' * 32}/bf/voucher/A-1").status_code == 404
    assert fortnox.client.get(f"/app/{space}/bf/voucher/A1").status_code == 404
