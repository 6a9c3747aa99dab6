"""build_invoices: one Fortnox invoice (or order) per invoice sale, keyed for safe retries."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.fortnox.client import encode
from app.posting.builder import BuildSettings
from app.posting.holds import HoldError
from app.posting.invoices import InvoiceDraft, InvoiceRow, build_invoices
from tests.closure_strategies import BAS_MAPPING
from tests.posting.test_builder import INVOICE_ON, load


def test_worked_example_invoice() -> None:
    [draft] = build_invoices(load(), BAS_MAPPING, INVOICE_ON, "S12")
    assert draft == InvoiceDraft(
        kind="invoice",
        reference="R1-104233",
        key="KB:S12-Z457-r1:R1-104233",
        customer_number="1001",
        customer_name="Konferens AB",
        your_reference="Kalle Ek",
        rows=(
            InvoiceRow("Lunch buffet", "3002", 12, Decimal("107.14"), Decimal("8")),
            InvoiceRow("Tip", "2890", 0, Decimal("40.00"), Decimal("1")),
        ),
        expected_total=Decimal("999.97"),
        expected_vat=Decimal("102.85"),
        date="2026-11-24",
        cost_center="S12",
    )


def test_worked_example_as_fortnox_json() -> None:
    [draft] = build_invoices(load(), BAS_MAPPING, INVOICE_ON, "S12")
    body = draft.to_fortnox()
    assert body == {
        "Invoice": {
            "CustomerNumber": "1001",
            "CustomerName": "Konferens AB",
            "InvoiceDate": "2026-11-24",
            "ExternalInvoiceReference1": "KB:S12-Z457-r1:R1-104233",
            "YourReference": "Kalle Ek",
            "CostCenter": "S12",
            "Currency": "SEK",
            "VATIncluded": False,
            "InvoiceRows": [
                {
                    "AccountNumber": 3002,
                    "Description": "Lunch buffet",
                    "DeliveredQuantity": "8",
                    "Price": Decimal("107.14"),
                    "VAT": 12,
                    "CostCenter": "S12",
                },
                {
                    "AccountNumber": 2890,
                    "Description": "Tip",
                    "DeliveredQuantity": "1",
                    "Price": Decimal("40.00"),
                    "VAT": 0,
                    "CostCenter": "S12",
                },
            ],
        }
    }
    assert b'"Price": 107.14' in encode(body)  # a JSON number, exact, never via float


def test_use_order_instead_of_invoice() -> None:
    settings = BuildSettings(invoice=True, tip_on_invoice=True, use_order=True)
    [draft] = build_invoices(load(), BAS_MAPPING, settings, "S12")
    order = draft.to_fortnox()["Order"]
    assert draft.kind == "order"
    assert order["OrderDate"] == "2026-11-24"
    # Keyed where Fortnox lists and searches orders (it can do neither on YourOrderNumber).
    assert order["ExternalInvoiceReference1"] == "KB:S12-Z457-r1:R1-104233"
    assert "YourOrderNumber" not in order and "InvoiceRows" not in order
    row = order["OrderRows"][0]
    assert row["OrderedQuantity"] == row["DeliveredQuantity"] == "8"


def test_no_invoices_when_invoice_is_off() -> None:
    assert build_invoices(load(), {}, BuildSettings(), "S12") == []


def test_no_customer_name_no_reference_no_tip() -> None:
    closure = load("invoice-without-customer-name")
    [draft] = build_invoices(closure, BAS_MAPPING, INVOICE_ON, "S12")
    invoice = draft.to_fortnox()["Invoice"]
    assert "CustomerName" not in invoice and "YourReference" not in invoice
    assert [r.description for r in draft.rows] == ["Catering, 20 portions"]
    assert draft.expected_total == Decimal("2000.10") and draft.expected_vat == Decimal("214.30")


def test_rows_per_line_with_their_rate_and_account() -> None:
    [draft] = build_invoices(load("tip-on-invoice"), BAS_MAPPING, INVOICE_ON, "S20")
    assert [(r.account, r.vat, r.price, r.quantity) for r in draft.rows] == [
        ("3002", 12, Decimal("312.50"), Decimal("4")),
        ("3001", 25, Decimal("640.00") / 2, Decimal("2")),
        ("2890", 0, Decimal("100.00"), Decimal("1")),
    ]
    assert draft.expected_total == Decimal("2300.00") and draft.expected_vat == Decimal("310.00")


def test_fractional_quantities_keep_their_decimals() -> None:
    closure = load("invoice-without-customer-name")
    closure["invoice_sales"][0]["lines"][0]["quantity"] = "1.500"
    [draft] = build_invoices(closure, BAS_MAPPING, INVOICE_ON, "S12")
    assert draft.to_fortnox()["Invoice"]["InvoiceRows"][0]["DeliveredQuantity"] == "1.500"


def test_one_draft_per_sale_in_order() -> None:
    closure = load()
    second = json.loads(json.dumps(closure["invoice_sales"][0]))
    second["reference"] = "R1-104240"
    closure["invoice_sales"].append(second)
    drafts = build_invoices(closure, BAS_MAPPING, INVOICE_ON, "S12")
    assert [d.key for d in drafts] == ["KB:S12-Z457-r1:R1-104233", "KB:S12-Z457-r1:R1-104240"]


def test_tip_not_allowed_holds_the_invoices_too() -> None:
    with pytest.raises(HoldError) as caught:
        build_invoices(load(), BAS_MAPPING, BuildSettings(invoice=True), "S12")
    assert [h.code for h in caught.value.holds] == ["tip_on_invoice_not_allowed"]


def test_unmapped_sales_key_holds_the_invoice() -> None:
    mapping = {**BAS_MAPPING, "sales": {"*:25": "3001"}}
    with pytest.raises(HoldError) as caught:
        build_invoices(load(), mapping, INVOICE_ON, "S12")
    assert [h.detail for h in caught.value.holds] == [{"group": "FOOD", "rate": "12"}]


def test_a_key_too_long_for_fortnox_is_hashed_to_fit() -> None:
    from app.posting.invoices import KEY_MAX, invoice_key

    closure = {"store_id": "S" * 40, "z_number": 123456, "revision": 2}
    long_ref, other_ref = "R" * 49 + "1", "R" * 49 + "2"
    key, other = invoice_key(closure, long_ref), invoice_key(closure, other_ref)
    assert len(key) <= KEY_MAX and key.startswith("KB:")
    assert key != other, "two sales whose long keys share a prefix keep apart"
    assert invoice_key(closure, long_ref) == key, "stable across retries"
    short = {"store_id": "S12", "z_number": 457, "revision": 1}
    assert invoice_key(short, "R1-104233") == "KB:S12-Z457-r1:R1-104233"
