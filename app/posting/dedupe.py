"""Find in Fortnox what an earlier attempt may already have made, by its Kassabok key."""

from __future__ import annotations

from typing import Any

from app.fortnox import api


def has_key(description: str | None, key: str) -> bool:
    """True when a voucher description carries exactly this key (not a longer one)."""
    return f"[{key}]" in (description or "")


def find_voucher(
    client: Any, *, series: str, date: str, key: str, year_id: int | None
) -> list[dict]:
    """Vouchers of series on date whose description carries key, lowest number first."""
    found = api.list_vouchers(client, series=series, from_date=date, to_date=date, year_id=year_id)
    hits = [v for v in found if has_key(v.get("Description"), key)]
    return sorted(hits, key=lambda v: int(v.get("VoucherNumber") or 0))


def find_document(client: Any, *, kind: str, key: str) -> list[dict]:
    """Invoices (by ExternalInvoiceReference1) or orders (by YourOrderNumber) carrying key."""
    if kind == "order":
        found = api.find_orders(client, key)
        field = "YourOrderNumber"
    else:
        found = api.find_invoices(client, key)
        field = "ExternalInvoiceReference1"
    # A filter may match loosely; only an exact key is ours.
    hits = [d for d in found if (d.get(field) or key) == key]
    return sorted(hits, key=lambda d: int(d.get("DocumentNumber") or 0))
