"""Checks on request bodies and the voucher rules Fortnox enforces."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sandbox import jsonio, registers
from sandbox.errors import ApiError
from sandbox.store import Store

VOUCHER_FIELDS = {
    "@url", "Comments", "CostCenter", "Description", "Project", "ReferenceNumber", "ReferenceType",
    "TransactionDate", "VoucherNumber", "VoucherRows", "VoucherSeries", "Year", "ApprovalState",
}  # fmt: skip
ROW_FIELDS = {
    "Account", "CostCenter", "Credit", "Debit", "Description", "Project", "Removed",
    "TransactionInformation", "Quantity",
}  # fmt: skip


def wrapped(body: Any, wrapper: str) -> dict:
    """The object inside Fortnox's singular wrapper, e.g. {"Voucher": {...}}."""
    if not isinstance(body, dict) or not isinstance(body.get(wrapper), dict):
        raise ApiError("no_data")
    return body[wrapper]


def check_fields(obj: dict, allowed: set[str]) -> None:
    """Refuse field names the resource does not have."""
    for name in obj:
        if name not in allowed:
            raise ApiError("bad_field", value=name)


def text(obj: dict, name: str, required: bool = False) -> str:
    """A string field."""
    value = obj.get(name)
    if value is None or value == "":
        if required:
            raise ApiError("required", value=name)
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ApiError("bad_field", value=name)
    return str(value)


def flag(obj: dict, name: str, default: bool) -> bool:
    """A boolean field."""
    value = obj.get(name, default)
    if not isinstance(value, bool):
        raise ApiError("not_boolean", value=value)
    return value


def integer(value: Any, name: str) -> int:
    """An integer given as a number or a numeric string."""
    if isinstance(value, bool):
        raise ApiError("not_numeric", value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise ApiError("not_numeric", value=f"{name}: {value}")


def amount(obj: dict, name: str, default: str = "0") -> Decimal:
    """A non-negative amount with at most two decimals."""
    value = jsonio.money(obj.get(name, default))
    if value is None or value < 0 or value != value.quantize(jsonio.CENT):
        raise ApiError("not_numeric", value=f"{name}: {obj.get(name)}")
    return jsonio.cents(value)


def day(value: Any, name: str = "TransactionDate") -> str:
    """A YYYY-MM-DD date."""
    if not isinstance(value, str) or not value:
        raise ApiError("required", value=name)
    try:
        parsed = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ApiError("bad_date", value=value)
    return parsed.isoformat()


def check_account(store: Store, tenant: int, number: int, cost_center: str) -> dict:
    """The account for a row, after the account and cost-center rules."""
    account = store.get(tenant, "account", str(number))
    if account is None:
        raise ApiError("account_missing", value=number)
    if not account["Active"]:
        raise ApiError("account_inactive", value=number)
    setting = account.get("CostCenterSettings", "ALLOWED")
    if cost_center:
        center = store.get(tenant, "costcenter", cost_center)
        if center is None:
            raise ApiError("costcenter_missing", value=cost_center)
        if not center["Active"]:
            raise ApiError("costcenter_inactive", value=cost_center)
        if setting == "NOTALLOWED":
            raise ApiError("costcenter_not_allowed", value=number)
    elif setting == "MANDATORY":
        raise ApiError("costcenter_required", value=number)
    return account


def check_period(store: Store, tenant: int, when: str, year_id: int | None) -> dict:
    """The financial year for a date, refusing a missing year and a locked period."""
    year = registers.year_for_date(store, tenant, when)
    if year is None:
        raise ApiError("no_financial_year", value=when)
    if year_id is not None and year["Id"] != year_id:
        raise ApiError("year_mismatch", value=when)
    row = store.tenant(tenant)
    if row is not None and row["locked_end"] and when <= row["locked_end"]:
        raise ApiError("locked_period", value=when)
    return year


def voucher_rows(store: Store, tenant: int, rows: Any) -> list[dict]:
    """Checked voucher rows, balanced, with the account name as Description."""
    if not isinstance(rows, list) or not rows:
        raise ApiError("no_rows")
    checked = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ApiError("no_data")
        check_fields(row, ROW_FIELDS)
        if "Account" not in row:
            raise ApiError("required", value="Account")
        number = integer(row["Account"], "Account")
        debit, credit = amount(row, "Debit"), amount(row, "Credit")
        if (debit > 0) == (credit > 0):
            raise ApiError("row_amount", row=index)
        cost_center = text(row, "CostCenter")
        account = check_account(store, tenant, number, cost_center)
        checked.append(
            {
                "Account": number,
                "CostCenter": cost_center,
                "Credit": credit,
                "Debit": debit,
                "Description": account["Description"],
                "Project": text(row, "Project"),
                "Removed": False,
                "TransactionInformation": text(row, "TransactionInformation"),
                "Quantity": jsonio.money(row.get("Quantity", 0)) or Decimal(0),
            }
        )
    debit = sum((r["Debit"] for r in checked), Decimal(0))
    credit = sum((r["Credit"] for r in checked), Decimal(0))
    if debit != credit:
        raise ApiError("unbalanced", debit=debit, credit=credit)
    return checked


def check_series(store: Store, tenant: int, code: str, manual: bool) -> dict:
    """The voucher series, refusing a missing one and (for manual entry) a non-manual one."""
    series = store.get(tenant, "series", code)
    if series is None:
        raise ApiError("series_missing", value=code)
    if manual and not series["Manual"]:
        raise ApiError("series_not_manual", value=code)
    return series
