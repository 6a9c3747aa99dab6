"""/3/orders: create, change, list with filters, createinvoice, cancel."""

from __future__ import annotations

from datetime import date

from flask import Response

from sandbox import documents, spec, validation
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
from sandbox.api.invoices import invoice_out, new_invoice, put_invoice
from sandbox.errors import ApiError

FIELDS = set(documents.HEADER_TEXT) | {
    "@url", "Cancelled", "Currency", "CustomerName", "CustomerNumber", "DeliveryDate",
    "DeliveryState", "DocumentNumber", "Gross", "InvoiceReference", "Net", "OrderDate",
    "OrderRows", "OrderType", "RoundOff", "Total", "TotalToPay", "TotalVAT", "VATIncluded",
}  # fmt: skip
MATCH = {
    "customernumber": "CustomerNumber", "documentnumber": "DocumentNumber",
    "externalinvoicereference1": "ExternalInvoiceReference1", "customername": "CustomerName",
    "yourreference": "YourReference", "ourreference": "OurReference", "costcenter": "CostCenter",
    "project": "Project", "externalinvoicereference2": "ExternalInvoiceReference2",
}  # fmt: skip
SORT = {
    "documentnumber": "DocumentNumber",
    "customernumber": "CustomerNumber",
    "customername": "CustomerName",
    "orderdate": "OrderDate",
    "total": "Total",
}
COPIED = documents.HEADER_TEXT + ("CustomerNumber", "VATIncluded")
NONE = "0"
DELIVERY_STATES = tuple(spec.props(spec.schema("fortnox_Order"))["DeliveryState"]["enum"])


def _put(doc: dict) -> dict:
    """Store an order under its document number."""
    number = doc["DocumentNumber"]
    store().put(tenant(), "order", number, doc, sort=number.rjust(12, "0"), date=doc["OrderDate"])
    return doc


def _save(doc: dict, patch: dict) -> dict:
    """Check the body against doc, compute rows and totals, store it."""
    validation.check_fields(patch, FIELDS)
    doc = documents.apply_header(store(), tenant(), doc, patch, "OrderDate")
    if "OrderRows" in patch or "OrderRows" not in doc:
        doc["OrderRows"] = documents.document_rows(
            store(), tenant(), patch.get("OrderRows", []), order=True
        )
    doc.update(documents.totals(doc["OrderRows"], doc["VATIncluded"]))
    if "DeliveryState" in patch:
        if patch["DeliveryState"] not in DELIVERY_STATES:
            raise ApiError("bad_enum", value="DeliveryState")
        doc["DeliveryState"] = patch["DeliveryState"]
    doc.setdefault("Cancelled", False)
    doc.setdefault("InvoiceReference", NONE)  # Fortnox's "no invoice yet" (recorded: "0")
    doc.setdefault("OfferReference", NONE)
    doc.setdefault("OrderType", "Order")  # recorded orders/all, find_id_1
    doc.setdefault("DeliveryState", "delivery")  # recorded orders/find_id_1
    return _put(doc)


def invoiced(doc: dict) -> bool:
    """Whether an invoice was made of the order ("0" and "" mean none)."""
    return str(doc.get("InvoiceReference") or NONE) != NONE


def _out(doc: dict) -> dict:
    """An order as Fortnox answers it."""
    return {"@url": f"{root()}orders/{doc['DocumentNumber']}", **doc}


@bp.get("/orders")
@requires("order")
def list_orders() -> Response:
    """Orders, by filter=, references, dates and lastmodified (rows left out)."""
    found = store().docs(
        tenant(),
        "order",
        from_date=arg_date("fromdate"),
        to_date=arg_date("todate"),
        modified_since=arg_lastmodified(),
    )
    chosen = {
        None: found,
        "cancelled": [d for d in found if d["Cancelled"]],
        "expired": [
            d
            for d in found
            if not d["Cancelled"]
            and not invoiced(d)
            and d.get("DeliveryDate", "9999") < date.today().isoformat()
        ],
        "invoicecreated": [d for d in found if invoiced(d)],
        "invoicenotcreated": [d for d in found if not invoiced(d) and not d["Cancelled"]],
    }
    name = args().get("filter")
    if name not in chosen:
        raise ApiError("bad_filter")
    found = sort_items(match_args(chosen[name], MATCH), SORT)
    return listing([_out(d) for d in found], "Orders")


@bp.post("/orders")
@requires("order")
def create_order() -> Response:
    """Create an order."""
    patch = validation.wrapped(body(), "Order")
    with store().write():
        doc = _save({"DocumentNumber": str(store().next_number(tenant(), "order"))}, patch)
    return single("Order", _out(doc), 201)


@bp.get("/orders/<number>")
@requires("order")
def get_order(number: str) -> Response:
    """One order with its rows."""
    return single("Order", _out(find("order", number, "order")))


def _open(number: str) -> dict:
    """An order neither cancelled nor invoiced."""
    doc = find("order", number, "order")
    if doc["Cancelled"]:
        raise ApiError("document_cancelled")
    if invoiced(doc):
        raise ApiError("order_invoiced")
    return doc


@bp.put("/orders/<number>")
@requires("order")
def update_order(number: str) -> Response:
    """Change an open order."""
    with store().write():
        doc = _save(_open(number), validation.wrapped(body(), "Order"))
    return single("Order", _out(doc))


@bp.put("/orders/<number>/createinvoice")
@requires("order")
def invoice_order(number: str) -> Response:
    """Invoice the order's delivered rows; answers the invoice, as the spec says."""
    with store().write():
        doc = _open(number)
        patch = {name: doc[name] for name in COPIED if doc.get(name) not in (None, "")}
        patch["InvoiceRows"] = [
            {k: v for k, v in row.items() if k not in ("OrderedQuantity", "RowId", "Total")}
            for row in doc["OrderRows"]
        ]
        invoice = new_invoice(patch)
        invoice["OrderReference"] = doc["DocumentNumber"]
        put_invoice(invoice)
        doc["InvoiceReference"] = invoice["DocumentNumber"]
        _put(doc)
    return single("Invoice", invoice_out(invoice))


@bp.put("/orders/<number>/cancel")
@requires("order")
def cancel_order(number: str) -> Response:
    """Cancel an open order."""
    with store().write():
        doc = _open(number)
        doc["Cancelled"] = True
        _put(doc)
    return single("Order", _out(doc))
