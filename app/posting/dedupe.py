"""Find in Fortnox what an earlier attempt may already have made, by its Kassabok key."""

from __future__ import annotations

from typing import Any

from app.fortnox import api
from app.posting.invoices import KEY_FIELD


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


def is_ours(document: dict, key: str) -> bool:
    """True when a listed invoice or order carries exactly key; a missing key is not ours."""
    return document.get(KEY_FIELD) == key


def find_document(client: Any, *, kind: str, key: str) -> list[dict]:
    """Invoices or orders whose ExternalInvoiceReference1 is exactly key, lowest number first."""
    found = api.find_orders(client, key) if kind == "order" else api.find_invoices(client, key)
    # Fortnox matches substrings and may ignore an unknown filter: only the exact key is ours.
    hits = [d for d in found if is_ours(d, key)]
    return sorted(hits, key=lambda d: int(d.get("DocumentNumber") or 0))
