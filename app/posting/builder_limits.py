"""Fortnox's length limits on the fields Kassabok fills, checked on the bodies before sending.

From Fortnox's OpenAPI specification (shared/fortnox/openapi.json): the maxLength of each field
of fortnox_Voucher, _Voucher_VoucherRow, _InvoicePayload, _Order and _Customer that Kassabok
fills. A cost center and a voucher series name codes of Fortnox's registers, whose own schemas
cap them (fortnox_CostCenter.Code 6, fortnox_VoucherSeries.Code 10): a longer one never matches.
tests/contract/test_client_requests.py holds this table against the specification.
"""

from __future__ import annotations

from typing import Any

from app.posting.builder import VoucherDraft
from app.posting.holds import Hold, make_hold
from app.posting.invoices import InvoiceDraft
from app.posting.reasons import document

COST_CENTER = 6  # fortnox_CostCenter.Code
SERIES = 10  # fortnox_VoucherSeries.Code
# An order's ExternalInvoiceReference1 goes onto the invoice made from it: the invoice's 80.
LIMITS: dict[str, dict[str, int]] = {
    "Voucher": {"Description": 200, "VoucherSeries": SERIES, "CostCenter": COST_CENTER},
    "VoucherRows": {"TransactionInformation": 100, "CostCenter": COST_CENTER},
    "Invoice": {"ExternalInvoiceReference1": 80, "YourReference": 50, "CostCenter": COST_CENTER},
    "InvoiceRows": {"CostCenter": COST_CENTER},
    "Order": {
        "ExternalInvoiceReference1": 80,
        "YourReference": 50,
        "Currency": 3,
        "CostCenter": COST_CENTER,
    },
    "OrderRows": {"CostCenter": COST_CENTER},
    "Customer": {"CustomerNumber": 1024, "Name": 1024},
}


def over_limits(body: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(field, value, limit) for every text of a {"Voucher": …}-style body over its limit."""
    out = []
    for name, inner in body.items():
        items = inner if isinstance(inner, list) else [inner]
        for item in (i for i in items if isinstance(i, dict)):
            for field, limit in LIMITS.get(name, {}).items():
                value = item.get(field)
                if isinstance(value, str) and len(value) > limit:
                    out.append((field, value, limit))
            for key, nested in item.items():
                if isinstance(nested, list):
                    out += over_limits({key: nested})
    return out


def limit_holds(store: str, voucher: VoucherDraft | None, drafts: list[InvoiceDraft]) -> list[Hold]:
    """A hold for each field over Fortnox's limit, naming the setting or text to fix."""
    bodies = [([document(d.kind, d.reference)], d.to_fortnox()) for d in drafts]
    if voucher is not None and not voucher.is_empty:
        bodies.insert(0, ([document("voucher", voucher.key)], voucher.to_fortnox()))
    holds: list[Hold] = []
    for where, body in bodies:
        for field, value, limit in over_limits(body):
            if field == "CostCenter":
                hold = make_hold("cost_center_too_long", store=store, center=value, limit=limit)
            elif field == "VoucherSeries":
                hold = make_hold("voucher_series_too_long", series=value, limit=limit)
            else:
                detail = {"field": field, "length": len(value), "limit": limit}
                hold = make_hold("text_too_long", document=where, **detail)
            if hold not in holds:
                holds.append(hold)
    return holds
