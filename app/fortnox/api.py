"""Fortnox's resources as plain functions over a FortnoxClient: the posting and reconcile API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from app.fortnox import tokens
from app.fortnox.client import FortnoxClient
from app.fortnox.errors import NotFound

PAGE = 500


@dataclass(frozen=True)
class VoucherRef:
    """Where Fortnox filed a voucher: series, number and financial year id."""

    series: str
    number: int
    year: int
    voucher: dict = field(default_factory=dict, compare=False, repr=False)  # Fortnox's answer


def client_for(session: Session, company_id: int) -> FortnoxClient:
    """A client for the company's connection; NotConnected or AuthLost when there is none."""
    conn = tokens.connection(session, company_id)
    token = tokens.usable(conn)
    return FortnoxClient(company_id, token, tenant=conn.database_number if conn else "")


def _day(value: date | str | None) -> str | None:
    """A date as Fortnox writes it (YYYY-MM-DD)."""
    return value.isoformat() if isinstance(value, date) else value


def _inner(body: Any, key: str) -> dict:
    """The resource inside Fortnox's singular wrapper."""
    return dict((body or {}).get(key) or {})


def pages(client: FortnoxClient, path: str, key: str, **params: Any) -> Iterator[dict]:
    """Every item of a listing, following MetaInformation page by page."""
    page = 1
    while True:
        body = client.get(path, limit=PAGE, page=page, **params) or {}
        yield from body.get(key) or []
        meta = body.get("MetaInformation") or {}
        total = int(meta.get("@TotalPages") or 1)
        if page >= total:
            return
        page += 1


def financial_year_id(client: FortnoxClient, day: date | str) -> int | None:
    """The id of the financial year covering day, or None when there is none."""
    years = (client.get("financialyears", date=_day(day)) or {}).get("FinancialYears") or []
    return int(years[0]["Id"]) if years else None


def financial_years(client: FortnoxClient) -> list[dict]:
    """Every financial year of the company."""
    return list(pages(client, "financialyears", "FinancialYears"))


def create_voucher(client: FortnoxClient, voucher_json: dict, year_id: int | None) -> VoucherRef:
    """Post a voucher ({"Voucher": {...}} or its inside) into year_id; where Fortnox filed it."""
    body = voucher_json if "Voucher" in voucher_json else {"Voucher": voucher_json}
    made = _inner(client.post("vouchers", body, financialyear=year_id), "Voucher")
    return VoucherRef(
        str(made["VoucherSeries"]),
        int(made["VoucherNumber"]),
        int(made.get("Year") or year_id),
        made,
    )


def list_vouchers(
    client: FortnoxClient,
    *,
    series: str | None = None,
    from_date: date | str | None = None,
    to_date: date | str | None = None,
    year_id: int | None = None,
    last_modified: str | None = None,
) -> list[dict]:
    """Vouchers (all pages), optionally of one series, a date range, a year, changed since."""
    path = f"vouchers/sublist/{series}" if series else "vouchers"
    return list(
        pages(
            client,
            path,
            "Vouchers",
            fromdate=_day(from_date),
            todate=_day(to_date),
            financialyear=year_id,
            lastmodified=last_modified,
        )
    )


def get_voucher(client: FortnoxClient, series: str, number: int, year_id: int | None) -> dict:
    """One voucher with its rows."""
    return _inner(client.get(f"vouchers/{series}/{number}", financialyear=year_id), "Voucher")


def find_invoices(client: FortnoxClient, external_ref: str) -> list[dict]:
    """Invoices whose ExternalInvoiceReference1 contains external_ref (Fortnox: ILIKE '%ref%')."""
    return list(pages(client, "invoices", "Invoices", externalinvoicereference1=external_ref))


def create_invoice(client: FortnoxClient, invoice_json: dict) -> dict:
    """Create an invoice ({"Invoice": {...}} or its inside); the invoice Fortnox made."""
    body = invoice_json if "Invoice" in invoice_json else {"Invoice": invoice_json}
    return _inner(client.post("invoices", body), "Invoice")


def get_invoice(client: FortnoxClient, number: int | str) -> dict:
    """One invoice by DocumentNumber."""
    return _inner(client.get(f"invoices/{number}"), "Invoice")


def list_invoices(
    client: FortnoxClient,
    *,
    from_date: date | str | None = None,
    to_date: date | str | None = None,
    last_modified: str | None = None,
) -> list[dict]:
    """Invoices (all pages) in a date range or changed since last_modified."""
    return list(
        pages(
            client,
            "invoices",
            "Invoices",
            fromdate=_day(from_date),
            todate=_day(to_date),
            lastmodified=last_modified,
        )
    )


def cancel_invoice(client: FortnoxClient, number: int | str) -> dict:
    """Cancel an invoice not yet bookkept; the invoice as Fortnox now holds it."""
    return _inner(client.put(f"invoices/{number}/cancel"), "Invoice")


def find_orders(client: FortnoxClient, external_ref: str) -> list[dict]:
    """Orders whose ExternalInvoiceReference1 contains external_ref (Fortnox: ILIKE '%ref%')."""
    # GET /3/orders cannot search YourOrderNumber, nor does an order list item carry it.
    return list(pages(client, "orders", "Orders", externalinvoicereference1=external_ref))


def create_order(client: FortnoxClient, order_json: dict) -> dict:
    """Create an order ({"Order": {...}} or its inside); the order Fortnox made."""
    body = order_json if "Order" in order_json else {"Order": order_json}
    return _inner(client.post("orders", body), "Order")


def get_order(client: FortnoxClient, number: int | str) -> dict:
    """One order by DocumentNumber."""
    return _inner(client.get(f"orders/{number}"), "Order")


def invoiced_as(order: dict) -> str:
    """The invoice an order became, or "" while it has none (Fortnox then says "0")."""
    reference = str(order.get("InvoiceReference") or "")
    return "" if reference in ("", "0") else reference


def cancel_order(client: FortnoxClient, number: int | str) -> dict:
    """Cancel an order not yet invoiced; the order as Fortnox now holds it."""
    return _inner(client.put(f"orders/{number}/cancel"), "Order")


def get_customer(client: FortnoxClient, number: str) -> dict | None:
    """One customer, or None when Fortnox has no such customer."""
    try:
        return _inner(client.get(f"customers/{number}"), "Customer")
    except NotFound:
        return None


def create_customer(client: FortnoxClient, customer_json: dict) -> dict:
    """Create a customer ({"Customer": {...}} or its inside); the customer Fortnox made."""
    body = customer_json if "Customer" in customer_json else {"Customer": customer_json}
    return _inner(client.post("customers", body), "Customer")


def company_information(client: FortnoxClient) -> dict:
    """Which Fortnox company the token opens (DatabaseNumber, CompanyName, OrganizationNumber)."""
    return _inner(client.get("companyinformation"), "CompanyInformation")


def list_accounts(client: FortnoxClient) -> list[dict]:
    """The chart of accounts (all pages)."""
    return list(pages(client, "accounts", "Accounts"))


def list_cost_centers(client: FortnoxClient) -> list[dict]:
    """Every cost center."""
    return list(pages(client, "costcenters", "CostCenters"))


def create_cost_center(client: FortnoxClient, code: str, description: str) -> dict:
    """Create a cost center (Code and Description are required); the one Fortnox made."""
    body = {"CostCenter": {"Code": code, "Description": description}}
    return _inner(client.post("costcenters", body), "CostCenter")


def get_voucher_series(client: FortnoxClient, code: str, year_id: int | None) -> dict | None:
    """One voucher series in a financial year, or None when it does not exist there."""
    try:
        return _inner(client.get(f"voucherseries/{code}", financialyear=year_id), "VoucherSeries")
    except NotFound:
        return None


def locked_until(client: FortnoxClient) -> date | None:
    """The last locked day of the books, or None when nothing is locked."""
    end = _inner(client.get("settings/lockedperiod"), "LockedPeriod").get("EndDate")
    return date.fromisoformat(str(end)[:10]) if end else None
