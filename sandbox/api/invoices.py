"""/3/invoices: create, change while unbooked, list with filters, bookkeep, cancel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Response

from sandbox import documents, validation
from sandbox.api.common import (
    arg_date,
    arg_lastmodified,
    args,
    body,
    bp,
    find,
    listing,
    match_args,
    requires,
    root,
    single,
    sort_items,
    store,
    tenant,
)  # fmt: skip
from sandbox.errors import ApiError

FIELDS = set(documents.HEADER_TEXT) | {
    "@url", "AdministrationFee", "Balance", "Booked", "Cancelled", "Credit", "Currency",
    "CustomerName", "CustomerNumber", "DocumentNumber", "DueDate", "FinalPayDate", "Freight",
    "Gross", "InvoiceDate", "InvoiceRows", "InvoiceType", "Language", "Net", "OCR", "RoundOff",
    "Sent", "TermsOfPayment", "Total", "TotalToPay", "TotalVAT", "VATIncluded", "VoucherNumber",
    "VoucherSeries", "VoucherYear",
}  # fmt: skip
MATCH = {
    "customernumber": "CustomerNumber", "documentnumber": "DocumentNumber",
    "customername": "CustomerName", "externalinvoicereference1": "ExternalInvoiceReference1",
    "externalinvoicereference2": "ExternalInvoiceReference2", "yourordernumber": "YourOrderNumber",
    "yourreference": "YourReference", "ourreference": "OurReference", "ocr": "OCR",
    "costcenter": "CostCenter", "project": "Project", "invoicetype": "InvoiceType",
}  # fmt: skip
SORT = {
    "documentnumber": "DocumentNumber",
    "customernumber": "CustomerNumber",
    "customername": "CustomerName",
    "invoicedate": "InvoiceDate",
    "total": "Total",
    "ocr": "OCR",
}


def save_invoice(doc: dict, patch: dict) -> dict:
    """Check the body against doc, compute rows and totals, store it."""
    validation.check_fields(patch, FIELDS)
    doc = documents.apply_header(store(), tenant(), doc, patch, "InvoiceDate")
    if "InvoiceRows" in patch or "InvoiceRows" not in doc:
        doc["InvoiceRows"] = documents.document_rows(
            store(), tenant(), patch.get("InvoiceRows", []), order=False
        )
    doc.update(documents.totals(doc["InvoiceRows"], doc["VATIncluded"]))
    doc = documents.invoice_defaults(doc, patch)
    return put_invoice(doc)


def put_invoice(doc: dict) -> dict:
    """Store an invoice under its document number."""
    number = doc["DocumentNumber"]
    store().put(
        tenant(), "invoice", number, doc, sort=number.rjust(12, "0"), date=doc["InvoiceDate"]
    )
    return doc


def new_invoice(patch: dict) -> dict:
    """Create an invoice with the next document number."""
    with store().write():
        number = str(store().next_number(tenant(), "invoice"))
        return save_invoice({"DocumentNumber": number}, patch)


def invoice_out(doc: dict) -> dict:
    """An invoice as Fortnox answers it."""
    return {"@url": f"{root()}invoices/{doc['DocumentNumber']}", **doc}


@bp.get("/invoices")
@requires("invoice")
def list_invoices() -> Response:
    """Invoices, by filter=, references, dates and lastmodified (rows left out)."""
    found = store().docs(
        tenant(),
        "invoice",
        from_date=arg_date("fromdate"),
        to_date=arg_date("todate"),
        modified_since=arg_lastmodified(),
    )
    found = sort_items(match_args(_filtered(found), MATCH), SORT)
    return listing([invoice_out(doc) for doc in found], "Invoices")  # the spec drops rows


def _filtered(found: list[dict]) -> list[dict]:
    """Apply filter=cancelled|fullypaid|unpaid|unpaidoverdue|unbooked."""
    name = args().get("filter")
    today = date.today().isoformat()
    unpaid = [d for d in found if not d["Cancelled"] and d["Balance"] > 0]
    chosen = {
        None: found,
        "cancelled": [d for d in found if d["Cancelled"]],
        "fullypaid": [d for d in found if not d["Cancelled"] and d["Balance"] == Decimal(0)],
        "unpaid": unpaid,
        "unpaidoverdue": [d for d in unpaid if d["DueDate"] < today],
        "unbooked": [d for d in found if not d["Booked"] and not d["Cancelled"]],
    }
    if name not in chosen:
        raise ApiError("bad_filter")
    return chosen[name]


@bp.post("/invoices")
@requires("invoice")
def create_invoice() -> Response:
    """Create an invoice."""
    return single("Invoice", invoice_out(new_invoice(validation.wrapped(body(), "Invoice"))), 201)


@bp.get("/invoices/<number>")
@requires("invoice")
def get_invoice(number: str) -> Response:
    """One invoice with its rows."""
    return single("Invoice", invoice_out(find("invoice", number, "faktura")))


def _open(number: str) -> dict:
    """An invoice that is neither booked nor cancelled."""
    doc = find("invoice", number, "faktura")
    if doc["Cancelled"]:
        raise ApiError("document_cancelled")
    if doc["Booked"]:
        raise ApiError("document_booked")
    return doc


@bp.put("/invoices/<number>")
@requires("invoice")
def update_invoice(number: str) -> Response:
    """Change an unbooked invoice."""
    with store().write():
        doc = save_invoice(_open(number), validation.wrapped(body(), "Invoice"))
    return single("Invoice", invoice_out(doc))


@bp.put("/invoices/<number>/bookkeep")
@requires("invoice")
def bookkeep_invoice(number: str) -> Response:
    """Book the invoice: a voucher in series B, and the invoice becomes Booked."""
    with store().write():
        doc = _open(number)
        voucher = documents.bookkeep(store(), tenant(), doc)
        doc.update(
            Booked=True,
            VoucherNumber=voucher["VoucherNumber"],
            VoucherSeries=voucher["VoucherSeries"],
            VoucherYear=voucher["Year"],
        )
        put_invoice(doc)
    return single("Invoice", invoice_out(doc))


@bp.put("/invoices/<number>/cancel")
@requires("invoice")
def cancel_invoice(number: str) -> Response:
    """Cancel an unbooked invoice."""
    with store().write():
        doc = _open(number)
        doc.update(Cancelled=True, Balance=Decimal("0.00"))
        put_invoice(doc)
    return single("Invoice", invoice_out(doc))
