"""Fortnox invoices (or orders) for a closure's sales on account: pure, like the voucher."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from app.mapping.codes import lookup
from app.posting.builder import BuildSettings, closure_key, invoice_holds
from app.posting.holds import HoldError

ZERO = Decimal("0.00")
# Where invoices and orders carry their Kassabok key: Fortnox stores it on both, returns it in
# list items and can search it (YourOrderNumber is neither listed nor searchable on orders).
KEY_FIELD = "ExternalInvoiceReference1"
KEY_MAX = 80  # ExternalInvoiceReference1's maxLength in Fortnox's Invoice schema


def _(text: str) -> str:
    """Mark a user-visible string for translation (identity until a catalogue exists)."""
    return text


def _money(amount: Decimal) -> Decimal:
    # Fortnox's spec takes Price as a number: the client writes a Decimal's exact digits.
    return amount.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class InvoiceRow:
    """One invoice or order row, priced net of VAT."""

    description: str
    account: str
    vat: int
    price: Decimal
    quantity: Decimal


@dataclass(frozen=True)
class InvoiceDraft:
    """An invoice (or order) for one invoice sale, keyed so a retry can find it."""

    kind: Literal["invoice", "order"]
    reference: str
    key: str
    customer_number: str
    customer_name: str
    your_reference: str
    rows: tuple[InvoiceRow, ...]
    expected_total: Decimal
    expected_vat: Decimal
    date: str = ""
    cost_center: str = ""

    def to_fortnox(self) -> dict:
        """The JSON body for POST /3/invoices or /3/orders."""
        order = self.kind == "order"
        rows = []
        for row in self.rows:
            item: dict = {
                "AccountNumber": int(row.account),
                "Description": row.description,
                "DeliveredQuantity": f"{row.quantity:f}",
                "Price": _money(row.price),
                "VAT": row.vat,
            }
            if order:
                item["OrderedQuantity"] = f"{row.quantity:f}"
            if self.cost_center:
                item["CostCenter"] = self.cost_center
            rows.append(item)
        body: dict = {
            "CustomerNumber": self.customer_number,
            "OrderDate" if order else "InvoiceDate": self.date,
            KEY_FIELD: self.key,
            "Currency": "SEK",
            "VATIncluded": False,
            "OrderRows" if order else "InvoiceRows": rows,
        }
        if self.customer_name:
            body["CustomerName"] = self.customer_name
        if self.your_reference:
            body["YourReference"] = self.your_reference
        if self.cost_center:
            body["CostCenter"] = self.cost_center
        return {"Order" if order else "Invoice": body}


def invoice_key(closure: dict, reference: str) -> str:
    """The stable key of one invoice sale, e.g. KB:S12-Z457-r1:R1-104233; hashed when too long."""
    key = f"{closure_key(closure)}:{reference}"
    if len(key) <= KEY_MAX:
        return key
    # Fortnox would refuse or cut a longer one, and a cut key could match another sale's.
    return f"KB:{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def build_invoices(
    closure: dict, mapping: dict, settings: BuildSettings, cost_center: str
) -> list[InvoiceDraft]:
    """One draft per invoice sale when Invoice is on; HoldError when one cannot be built."""
    if not settings.invoice:
        return []
    holds = invoice_holds(closure, mapping, settings)
    if holds:
        raise HoldError(holds)
    drafts = []
    for sale in closure.get("invoice_sales", []):
        rows = [
            InvoiceRow(
                description=line["description"],
                account=lookup(mapping, f"sales:{line['product_group']}:{line['vat_rate']}") or "",
                vat=int(line["vat_rate"]),
                price=Decimal(line["unit_price_net"]),
                quantity=Decimal(line["quantity"]),
            )
            for line in sale["lines"]
        ]
        tip = Decimal(sale.get("tip", "0"))
        if tip:  # invoice_holds already refused a tip unless tips on invoices are allowed
            account = lookup(mapping, "other:TIPS") or ""
            rows.append(InvoiceRow(_("Tip"), account, 0, tip, Decimal(1)))
        vat = sum((Decimal(line["vat"]) for line in sale["lines"]), ZERO)
        net = sum((Decimal(line["net"]) for line in sale["lines"]), ZERO)
        drafts.append(
            InvoiceDraft(
                kind="order" if settings.use_order else "invoice",
                reference=sale["reference"],
                key=invoice_key(closure, sale["reference"]),
                customer_number=sale["customer_number"],
                customer_name=sale.get("customer_name", ""),
                your_reference=sale.get("your_reference", ""),
                rows=tuple(rows),
                expected_total=net + vat + tip,
                expected_vat=vat,
                date=closure["business_date"],
                cost_center=cost_center,
            )
        )
    return drafts
