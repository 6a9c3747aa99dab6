"""Vouchers: checked, numbered per series and financial year, stored once and never changed."""

from __future__ import annotations

from typing import Any

from sandbox import registers, validation
from sandbox.errors import ApiError
from sandbox.store import Store


def voucher_key(year: int, series: str, number: int) -> str:
    """Storage key of a voucher: unique per financial year, series and number."""
    return f"{year}:{series}:{number}"


def post_voucher(
    store: Store, tenant: int, body: Any, year_id: int | None, *, manual: bool = True
) -> dict:
    """Check a voucher body the way Fortnox does and book it."""
    voucher = validation.wrapped(body, "Voucher")
    validation.check_fields(voucher, validation.VOUCHER_FIELDS)
    code = validation.text(voucher, "VoucherSeries", required=True)
    description = validation.text(voucher, "Description", required=True)
    when = validation.day(voucher.get("TransactionDate"))
    with store.write():
        validation.check_series(store, tenant, code, manual)
        year = validation.check_period(store, tenant, when, year_id)
        rows = validation.voucher_rows(store, tenant, voucher.get("VoucherRows"))
        cost_center = validation.text(voucher, "CostCenter")
        if cost_center and store.get(tenant, "costcenter", cost_center) is None:
            raise ApiError("costcenter_missing", value=cost_center)
        return book(
            store,
            tenant,
            year["Id"],
            code,
            when,
            rows,
            description=description,
            comments=validation.text(voucher, "Comments"),
            cost_center=cost_center,
            project=validation.text(voucher, "Project"),
        )


def book(
    store: Store,
    tenant: int,
    year_id: int,
    series: str,
    when: str,
    rows: list[dict],
    *,
    description: str,
    comments: str = "",
    cost_center: str = "",
    project: str = "",
    reference_type: str = "MANUAL",
    reference_number: str = "",
) -> dict:
    """Number and store checked rows as a voucher."""
    with store.write():
        number = store.next_number(tenant, registers.voucher_counter(series, year_id))
        voucher = {
            "ApprovalState": 0,
            "Comments": comments,
            "CostCenter": cost_center,
            "Description": description,
            "Project": project,
            "ReferenceNumber": reference_number,
            "ReferenceType": reference_type,
            "TransactionDate": when,
            "VoucherNumber": number,
            "VoucherRows": rows,
            "VoucherSeries": series,
            "Year": year_id,
        }
        key = voucher_key(year_id, series, number)
        sort = f"{year_id:06d}:{series}:{number:09d}"
        store.put(tenant, "voucher", key, voucher, sort=sort, date=when)
    return voucher


def vouchers(
    store: Store,
    tenant: int,
    year_id: int,
    *,
    series: str | None = None,
    from_date: str | None = None,
    to_date: str | None = None,
    modified_since: str | None = None,
) -> list[dict]:
    """Vouchers of one financial year, by series then number."""
    found = store.docs(
        tenant, "voucher", from_date=from_date, to_date=to_date, modified_since=modified_since
    )
    return [
        v
        for v in found
        if v["Year"] == year_id and (series is None or v["VoucherSeries"] == series)
    ]


def voucher_url(root: str, voucher: dict) -> str:
    """Fortnox's @url of a voucher."""
    return (
        f"{root}vouchers/{voucher['VoucherSeries']}/{voucher['VoucherNumber']}"
        f"?financialyear={voucher['Year']}"
    )


def voucher_out(root: str, voucher: dict) -> dict:
    """A full voucher as Fortnox answers it."""
    return {"@url": voucher_url(root, voucher), **voucher}
