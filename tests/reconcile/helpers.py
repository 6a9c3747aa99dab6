"""Facts for the compare engine built from the fixture closures, without a database or server."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.posting.builder import BuildSettings, VoucherDraft, build_voucher
from app.posting.invoices import build_invoices
from app.reconcile.facts import ClosureFacts, ExpectedDocument, FxDocument, FxRow, FxVoucher
from tests.closure_strategies import BAS_MAPPING

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "closures"


def payload(name: str = "cafe-full-day", **changes: Any) -> dict[str, Any]:
    """A fixture closure with top-level fields changed."""
    data = json.loads((FIXTURES / f"{name}.json").read_text())
    data.update(copy.deepcopy(changes))
    return data


def draft(data: dict[str, Any], invoice: bool = True, cc: str = "S12") -> VoucherDraft:
    """The voucher the closure books with the BAS mapping."""
    return build_voucher(data, BAS_MAPPING, BuildSettings(invoice=invoice, tip_on_invoice=True), cc)


def expected_documents(data: dict[str, Any], number: str | None = "1") -> tuple:
    """The invoices the closure makes (Invoice and tips on invoice on)."""
    settings = BuildSettings(invoice=True, tip_on_invoice=True)
    out = []
    for d in build_invoices(data, BAS_MAPPING, settings, "S12"):
        tip = sum((r.price for r in d.rows if r.vat == 0), Decimal("0.00"))
        out.append(
            ExpectedDocument(
                d.kind, d.reference, d.key, d.expected_total, d.expected_vat, tip, "2890", number
            )
        )
    return tuple(out)


def facts(data: dict[str, Any] | None = None, **changes: Any) -> ClosureFacts:
    """A posted closure recorded as voucher A 1 in year 1."""
    data = data or payload()
    base = ClosureFacts(
        pk=1,
        closure_id=data["closure_id"],
        store_code=data["store_id"],
        cost_center=data["store_id"],
        business_date=date.fromisoformat(data["business_date"]),
        state="posted",
        voucher=("A", 1, 1),
        expected=draft(data, invoice=False),
    )
    return replace(base, **changes)


def voucher_of(
    d: VoucherDraft, number: int = 1, description: str | None = None, **changes: Any
) -> FxVoucher:
    """The voucher Fortnox would hold for a draft."""
    rows = tuple(FxRow(r.account, r.cost_center, r.debit, r.credit) for r in d.rows)
    base = FxVoucher(
        "A",
        number,
        1,
        date.fromisoformat(d.transaction_date),
        d.description if description is None else description,
        "MANUAL",
        rows,
    )
    return replace(base, **changes)


def invoice_of(doc: ExpectedDocument, **changes: Any) -> FxDocument:
    """The invoice Fortnox would hold for an expected document (total rounded to kronor)."""
    total = doc.total.quantize(Decimal(1))
    rows = (("3002", 12, doc.total - doc.vat - doc.tip), ("2890", 0, doc.tip))
    base = FxDocument(
        "invoice", doc.number or "1", doc.key, total, doc.vat, total - doc.total, rows=rows
    )
    return replace(base, **changes)
