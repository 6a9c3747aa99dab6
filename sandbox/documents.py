"""Invoices and orders: rows, Fortnox's totals with öre rounding (RoundOff), bookkeeping."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sandbox import jsonio, ledger, registers, validation
from sandbox.errors import ApiError
from sandbox.store import Store

SALES_ACCOUNT = {25: 3001, 12: 3002, 6: 3003, 0: 3004}
VAT_ACCOUNT = {25: 2611, 12: 2621, 6: 2631}
RECEIVABLE, ROUNDING = 1510, 3740
ROW_FIELDS = {
    "AccountNumber", "ArticleNumber", "CostCenter", "DeliveredQuantity", "Description", "Discount",
    "DiscountType", "OrderedQuantity", "Price", "Project", "RowId", "Unit", "VAT", "Total",
    "ReservedQuantity",
}  # fmt: skip
HEADER_TEXT = (
    "Comments", "CostCenter", "ExternalInvoiceReference1", "ExternalInvoiceReference2",
    "OurReference", "Project", "Remarks", "YourOrderNumber", "YourReference",
)  # fmt: skip


def _number(row: dict, name: str, default: str) -> Decimal:
    """A signed decimal field of a row."""
    value = jsonio.money(row.get(name, default))
    if value is None:
        raise ApiError("not_numeric", value=f"{name}: {row.get(name)}")
    return value


def document_rows(store: Store, tenant: int, raw: object, order: bool) -> list[dict]:
    """Checked rows with their Total (quantity × price less discount, to the öre)."""
    if not isinstance(raw, list):
        raise ApiError("no_data")
    rows = []
    for index, row in enumerate(raw, start=1):
        if not isinstance(row, dict):
            raise ApiError("no_data")
        validation.check_fields(row, ROW_FIELDS)
        vat = validation.integer(row.get("VAT", 25), "VAT")
        if vat not in SALES_ACCOUNT:
            raise ApiError("vat_missing", value=vat)
        account = validation.integer(row.get("AccountNumber", SALES_ACCOUNT[vat]), "AccountNumber")
        cost_center = validation.text(row, "CostCenter")
        validation.check_account(store, tenant, account, cost_center)
        ordered = _number(row, "OrderedQuantity", "1") if order else None
        delivered = _number(row, "DeliveredQuantity", str(ordered or 1))
        price, discount = _number(row, "Price", "0"), _number(row, "Discount", "0")
        kind = row.get("DiscountType", "PERCENT")
        if kind not in ("PERCENT", "AMOUNT"):
            raise ApiError("bad_enum", value="DiscountType")
        gross = delivered * price
        total = gross - discount if kind == "AMOUNT" else gross * (100 - discount) / 100
        checked = {
            "RowId": index,
            "AccountNumber": account,
            "ArticleNumber": validation.text(row, "ArticleNumber"),
            "CostCenter": cost_center,
            "DeliveredQuantity": delivered,
            "Description": validation.text(row, "Description"),
            "Discount": discount,
            "DiscountType": kind,
            "Price": price,
            "Project": validation.text(row, "Project"),
            "Unit": validation.text(row, "Unit"),
            "VAT": vat,
            "Total": jsonio.cents(total),
        }
        if order:
            checked["OrderedQuantity"] = ordered
        rows.append(checked)
    return rows


def row_vat(row: dict, vat_included: bool) -> Decimal:
    """VAT of one row, to the öre."""
    rate = Decimal(row["VAT"])
    base = row["Total"] * rate / (100 + rate) if vat_included else row["Total"] * rate / 100
    return jsonio.cents(base)


def totals(rows: list[dict], vat_included: bool) -> dict:
    """Net, TotalVAT, Gross, Total rounded to whole kronor, and RoundOff the way Fortnox does."""
    vat = sum((row_vat(r, vat_included) for r in rows), Decimal("0.00"))
    amount = sum((r["Total"] for r in rows), Decimal("0.00"))
    net = amount - vat if vat_included else amount
    gross = net + vat
    total = gross.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return {
        "Net": net,
        "TotalVAT": vat,
        "Gross": gross,
        "Total": jsonio.cents(total),
        "RoundOff": jsonio.cents(total - gross),
        "TotalToPay": jsonio.cents(total),
    }


def apply_header(store: Store, tenant: int, doc: dict, patch: dict, date_field: str) -> dict:
    """Copy the writable header fields of an invoice or order body onto doc."""
    for name in HEADER_TEXT:
        if name in patch:
            doc[name] = validation.text(patch, name)
    if doc.get("CostCenter") and store.get(tenant, "costcenter", doc["CostCenter"]) is None:
        raise ApiError("costcenter_missing", value=doc["CostCenter"])
    if "CustomerNumber" in patch or not doc.get("CustomerNumber"):
        number = validation.text(patch, "CustomerNumber", required=True)
        customer = store.get(tenant, "customer", number)
        if customer is None:
            raise ApiError("customer_missing", value=number)
        doc["CustomerNumber"], doc["CustomerName"] = number, customer["Name"]
    day = patch.get(date_field) or doc.get(date_field) or date.today().isoformat()
    doc[date_field] = validation.day(day, date_field)
    if "VATIncluded" in patch:
        doc["VATIncluded"] = validation.flag(patch, "VATIncluded", False)
    doc.setdefault("VATIncluded", False)
    doc.setdefault("Currency", "SEK")
    doc.setdefault("CurrencyRate", Decimal(1))  # recorded: 1 for SEK
    doc.setdefault("CurrencyUnit", Decimal(1))
    return doc


def invoice_defaults(doc: dict, patch: dict) -> dict:
    """Due date, terms, OCR and the invoice's state fields."""
    terms = 30
    due = date.fromisoformat(doc["InvoiceDate"]) + timedelta(days=terms)
    doc["DueDate"] = validation.day(patch.get("DueDate") or due.isoformat(), "DueDate")
    doc.setdefault("TermsOfPayment", str(terms))
    doc.setdefault("InvoiceType", "INVOICE")
    for name, value in (
        ("Booked", False),
        ("Cancelled", False),
        ("Sent", False),
        ("Credit", "false"),
        ("VoucherNumber", None),
        ("VoucherSeries", None),
        ("VoucherYear", None),
        ("FinalPayDate", None),
        ("OrderReference", "0"),  # recorded: "0" when not made from an order
        ("OfferReference", "0"),
    ):
        doc.setdefault(name, value)
    doc["OCR"] = _ocr(doc["DocumentNumber"])
    doc["Balance"] = Decimal("0.00") if doc["Cancelled"] else doc["Total"]
    return doc


def _ocr(number: str) -> str:
    """Document number plus a Luhn check digit."""
    digits = [int(d) for d in reversed(number)]
    total = sum(d if i % 2 else sum(divmod(d * 2, 10)) for i, d in enumerate(digits))
    return number + str((10 - total % 10) % 10)


def bookkeep(store: Store, tenant: int, invoice: dict) -> dict:
    """Book an invoice: a voucher in series B debiting 1510, crediting sales, VAT, rounding."""
    year = validation.check_period(store, tenant, invoice["InvoiceDate"], None)
    center = invoice.get("CostCenter", "")
    credits: dict[tuple[int, str], Decimal] = {}
    for row in invoice["InvoiceRows"]:
        vat = row_vat(row, invoice["VATIncluded"])
        net = row["Total"] - vat if invoice["VATIncluded"] else row["Total"]
        key = (row["AccountNumber"], row["CostCenter"] or center)
        credits[key] = credits.get(key, Decimal(0)) + net
        if vat:
            vkey = (VAT_ACCOUNT[row["VAT"]], center)
            credits[vkey] = credits.get(vkey, Decimal(0)) + vat
    lines = [(RECEIVABLE, center, invoice["Total"], Decimal(0))]
    lines += [(acct, cc, Decimal(0), amt) for (acct, cc), amt in credits.items() if amt]
    if invoice["RoundOff"]:
        off = invoice["RoundOff"]
        lines.append(
            (ROUNDING, "", -off if off < 0 else Decimal(0), off if off > 0 else Decimal(0))
        )
    rows = []
    for account, cost_center, debit, credit in lines:
        name = (store.get(tenant, "account", str(account)) or {}).get("Description", "")
        rows.append(
            {
                "Account": account,
                "CostCenter": cost_center,
                "Credit": jsonio.cents(credit),
                "Debit": jsonio.cents(debit),
                "Description": name,
                "Project": "",
                "Removed": False,
                "TransactionInformation": "",
                "Quantity": Decimal(0),
            }
        )
    description = f"Kundfaktura {invoice['CustomerName']} ({invoice['DocumentNumber']})"
    if store.get(tenant, "series", "B") is None:
        registers.save_series(store, tenant, {"Code": "B", "Description": "Kundfakturor"})
    return ledger.book(
        store,
        tenant,
        year["Id"],
        "B",
        invoice["InvoiceDate"],
        rows,
        description=description,
        reference_type="INVOICE",
        reference_number=invoice["DocumentNumber"],
    )
