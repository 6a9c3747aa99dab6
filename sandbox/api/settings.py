"""/3/voucherseries, financialyears, settings/lockedperiod and companyinformation."""

from __future__ import annotations

from flask import Response

from sandbox import registers, validation
from sandbox.api.common import (
    arg_date,
    arg_int,
    arg_lastmodified,
    body,
    bp,
    find,
    listing,
    requires,
    root,
    single,
    store,
    tenant,
)  # fmt: skip
from sandbox.errors import ApiError


def _series_out(series: dict) -> dict:
    """A voucher series with its next number in the chosen (or current) year."""
    wanted = arg_int("financialyear")
    year = registers.year_by_id(store(), tenant(), wanted) if wanted else None
    year = year or registers.current_year(store(), tenant())
    year_id = year["Id"] if year else 0
    counter = registers.voucher_counter(series["Code"], year_id)
    return {
        "@url": f"{root()}voucherseries/{series['Code']}",
        **series,
        "Year": year_id,
        "NextVoucherNumber": store().peek_number(tenant(), counter),
    }


SERIES_FIELDS = {"@url", "Code", "Description", "Manual", "NextVoucherNumber", "Year", "Approver"}


@bp.get("/voucherseries")
@requires("bookkeeping")
def list_series() -> Response:
    """All voucher series."""
    series = store().docs(tenant(), "series", modified_since=arg_lastmodified())
    return listing([_series_out(s) for s in series], "VoucherSeriesCollection")


@bp.get("/voucherseries/<code>")
@requires("bookkeeping")
def get_series(code: str) -> Response:
    """One voucher series."""
    return single("VoucherSeries", _series_out(find("series", code, "verifikationsserie")))


@bp.post("/voucherseries")
@requires("bookkeeping")
def create_series() -> Response:
    """Add a voucher series."""
    patch = validation.wrapped(body(), "VoucherSeries")
    validation.check_fields(patch, SERIES_FIELDS)
    code = validation.text(patch, "Code", required=True)
    if store().get(tenant(), "series", code) is not None:
        raise ApiError("series_exists", value=code)
    validation.text(patch, "Description", required=True)
    validation.flag(patch, "Manual", False)
    return single(
        "VoucherSeries", _series_out(registers.save_series(store(), tenant(), patch)), 201
    )


@bp.put("/voucherseries/<code>")
@requires("bookkeeping")
def update_series(code: str) -> Response:
    """Change a series' description or Manual flag."""
    series = find("series", code, "verifikationsserie")
    patch = validation.wrapped(body(), "VoucherSeries")
    validation.check_fields(patch, SERIES_FIELDS)
    if "Manual" in patch:
        series["Manual"] = validation.flag(patch, "Manual", False)
    if "Description" in patch:
        series["Description"] = validation.text(patch, "Description", required=True)
    return single("VoucherSeries", _series_out(registers.save_series(store(), tenant(), series)))


def _year_out(year: dict) -> dict:
    """A financial year as Fortnox answers it."""
    return {"@url": f"{root()}financialyears/{year['Id']}", **year}


@bp.get("/financialyears")
@requires("bookkeeping")
def list_years() -> Response:
    """Financial years; date= gives the one covering that date, or none."""
    years = registers.financial_years(store(), tenant())
    day = arg_date("date")
    if day:
        years = [y for y in years if y["FromDate"] <= day <= y["ToDate"]]
    return listing([_year_out(y) for y in years], "FinancialYears")


@bp.get("/financialyears/<int:year_id>")
@requires("bookkeeping")
def get_year(year_id: int) -> Response:
    """One financial year."""
    return single("FinancialYear", _year_out(find("year", str(year_id), "räkenskapsår")))


@bp.post("/financialyears")
@requires("bookkeeping")
def create_year() -> Response:
    """Open a new financial year."""
    patch = validation.wrapped(body(), "FinancialYear")
    from_date = validation.day(patch.get("FromDate"), "FromDate")
    to_date = validation.day(patch.get("ToDate"), "ToDate")
    year = registers.add_financial_year(store(), tenant(), from_date, to_date)
    return single("FinancialYear", _year_out(year), 201)


@bp.get("/settings/lockedperiod")
@requires("bookkeeping", "settings")
def locked_period() -> Response:
    """The end of the locked period ("" when nothing is locked)."""
    row = store().tenant(tenant())
    return single("LockedPeriod", {"EndDate": (row["locked_end"] if row else "") or ""})


@bp.get("/companyinformation")
@requires("companyinformation")
def company_information() -> Response:
    """The company's name, organisation number, addresses and DatabaseNumber."""
    row = store().tenant(tenant())
    info = {
        "Address": "Storgatan 1",
        "City": "Stockholm",
        "CountryCode": "SE",
        "DatabaseNumber": row["id"],
        "CompanyName": row["name"],
        "OrganizationNumber": row["orgnr"],
        "VisitAddress": "Storgatan 1",
        "VisitCity": "Stockholm",
        "VisitCountryCode": "SE",
        "VisitZipCode": "111 22",
        "ZipCode": "111 22",
    }
    return single("CompanyInformation", info)
