"""/3/vouchers: create, list, list one series, read one; never change or delete."""

from __future__ import annotations

from flask import Response

from sandbox import ledger, registers
from sandbox.api.common import (
    arg_date,
    arg_int,
    arg_lastmodified,
    body,
    bp,
    listing,
    requires,
    root,
    single,
    store,
    tenant,
)  # fmt: skip
from sandbox.errors import ApiError


def year_id() -> int:
    """The financial year asked for: financialyear, financialyeardate, fromdate, or today's."""
    wanted = arg_int("financialyear")
    if wanted is not None:
        if registers.year_by_id(store(), tenant(), wanted) is None:
            raise ApiError("not_found", value=f"räkenskapsår {wanted}")
        return wanted
    day = arg_date("financialyeardate") or arg_date("fromdate")
    year = (
        registers.year_for_date(store(), tenant(), day)
        if day
        else registers.current_year(store(), tenant())
    )
    if year is None:
        raise ApiError("no_financial_year", value=day or "idag")
    return int(year["Id"])


@bp.post("/vouchers")
@requires("bookkeeping")
def create_voucher() -> Response:
    """Book a manual voucher."""
    voucher = ledger.post_voucher(store(), tenant(), body(), arg_int("financialyear"))
    return single("Voucher", ledger.voucher_out(root(), voucher), 201)


def _list(series: str | None) -> Response:
    """Vouchers of the chosen year, narrowed by series, dates and lastmodified."""
    found = ledger.vouchers(
        store(),
        tenant(),
        year_id(),
        series=series,
        from_date=arg_date("fromdate"),
        to_date=arg_date("todate"),
        modified_since=arg_lastmodified(),
    )
    return listing([ledger.voucher_out(root(), v) for v in found], "Vouchers")  # spec drops rows


@bp.get("/vouchers")
@requires("bookkeeping")
def list_vouchers() -> Response:
    """All vouchers of a financial year."""
    return _list(None)


@bp.get("/vouchers/sublist/<series>")
@requires("bookkeeping")
def list_sublist(series: str) -> Response:
    """The vouchers of one series."""
    return _list(series)


@bp.get("/vouchers/<series>/<int:number>")
@requires("bookkeeping")
def get_voucher(series: str, number: int) -> Response:
    """One voucher with its rows."""
    found = store().get(tenant(), "voucher", ledger.voucher_key(year_id(), series, number))
    if found is None:
        raise ApiError("not_found", value=f"verifikation {series}{number}")
    return single("Voucher", ledger.voucher_out(root(), found))


@bp.route("/vouchers/<series>/<int:number>", methods=["PUT", "DELETE", "PATCH"])
@requires("bookkeeping")
def immutable(series: str, number: int) -> Response:
    """Vouchers cannot be changed or deleted; corrections are new vouchers."""
    raise ApiError("method")
