"""Tenant registers shared by seed and API: financial years, voucher series, customers."""

from __future__ import annotations

from datetime import date

from sandbox.errors import ApiError
from sandbox.store import Store


def financial_years(store: Store, tenant: int) -> list[dict]:
    """All financial years, oldest first."""
    return store.docs(tenant, "year")


def add_financial_year(store: Store, tenant: int, from_date: str, to_date: str) -> dict:
    """Create a financial year that overlaps no other one."""
    if to_date < from_date:
        raise ApiError("bad_date", value=to_date)
    for year in financial_years(store, tenant):
        if from_date <= year["ToDate"] and to_date >= year["FromDate"]:
            raise ApiError("year_overlap")
    year_id = store.next_number(tenant, "year")
    body = {
        "Id": year_id,
        "FromDate": from_date,
        "ToDate": to_date,
        "AccountingMethod": "ACCRUAL",
        "accountCharts": f"BAS {from_date[:4]}",
    }
    store.put(tenant, "year", str(year_id), body, sort=from_date)
    return body


def year_for_date(store: Store, tenant: int, day: str) -> dict | None:
    """The financial year covering a date, if any."""
    for year in financial_years(store, tenant):
        if year["FromDate"] <= day <= year["ToDate"]:
            return year
    return None


def year_by_id(store: Store, tenant: int, year_id: int) -> dict | None:
    """A financial year by Id."""
    return store.get(tenant, "year", str(year_id))


def current_year(store: Store, tenant: int) -> dict | None:
    """The year covering today, else the latest one ("preselected" in Fortnox)."""
    years = financial_years(store, tenant)
    return year_for_date(store, tenant, date.today().isoformat()) or (years[-1] if years else None)


def save_series(store: Store, tenant: int, body: dict) -> dict:
    """Store a voucher series."""
    series = {
        "Code": body["Code"],
        "Description": body.get("Description", ""),
        "Manual": bool(body.get("Manual", False)),
        "Approver": body.get("Approver") or {"Id": 0, "Name": ""},
    }
    store.put(tenant, "series", series["Code"], series)
    return series


def voucher_counter(series: str, year_id: int) -> str:
    """Counter name of a series' numbering within one financial year."""
    return f"voucher:{series}:{year_id}"


def save_customer(store: Store, tenant: int, body: dict, new: bool = True) -> dict:
    """Create or update a customer; numbers stay used forever, even after deletion."""
    number = str(body.get("CustomerNumber") or "").strip()
    if new:
        if not number:
            number = str(store.next_number(tenant, "customer", start=1))
            while store.exists(tenant, "customer", number):
                number = str(store.next_number(tenant, "customer"))
        elif store.exists(tenant, "customer", number):
            raise ApiError("customer_used", value=number)
    customer = {
        "Active": True,
        "Address1": "",
        "Address2": "",
        "City": "",
        "CountryCode": "SE",
        "Currency": "SEK",
        "Email": "",
        "Name": "",
        "OrganisationNumber": "",
        "Phone1": "",
        "Type": "COMPANY",
        "VATType": "SEVAT",
        "ZipCode": "",
        **body,
        "CustomerNumber": number,
    }
    if not str(customer["Name"]).strip():
        raise ApiError("required", value="Name")
    store.put(tenant, "customer", number, customer, sort=number.rjust(12, "0"))
    return customer
