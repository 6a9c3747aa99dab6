"""/3/voucherfileconnections: one file of the inbox or the archive connected to one voucher.

As openapi.json describes it: {"VoucherFileConnection": {FileId, VoucherNumber (a string),
VoucherSeries, VoucherYear}}, FileId, VoucherNumber and VoucherSeries required; the list is searched
by the parameters its tag's table documents (voucherseries, vouchernumber, voucheryear,
voucherdescription). Scope connectfile (FORTNOX.md §1.6), and the tenant's archive licence.
"""

from __future__ import annotations

from flask import Response, request

from sandbox import control, jsonio, ledger, query, registers, validation
from sandbox.api.common import (
    arg_int,
    args,
    body,
    bp,
    listing,
    requires,
    root,
    single,
    store,
    tenant,
)
from sandbox.api.files import guarded
from sandbox.errors import ApiError

CONNECTION_SEARCH = {
    "voucherseries": "VoucherSeries",
    "vouchernumber": "VoucherNumber",
    "voucheryear": "VoucherYear",
    "voucherdescription": "VoucherDescription",
}


def _connection_out(connection: dict) -> dict:
    """A connection as Fortnox answers it, with its @url."""
    return {"@url": f"{root()}voucherfileconnections/{connection['FileId']}", **connection}


@bp.get("/voucherfileconnections")
@requires("connectfile")
@guarded
def list_connections() -> Response:
    """Every voucher file connection, narrowed by the search parameters the tag documents."""
    found = store().docs(tenant(), "fileconnection")
    for param, field in CONNECTION_SEARCH.items():
        wanted = args().get(param)
        if wanted:
            found = [c for c in found if query.matches(param, wanted, c.get(field))]
    return listing([_connection_out(c) for c in found], "VoucherFileConnections")


@bp.get("/voucherfileconnections/<file_id>")
@requires("connectfile")
@guarded
def get_connection(file_id: str) -> Response:
    """The connection of one file."""
    found = store().get(tenant(), "fileconnection", file_id)
    if found is None:
        raise ApiError("not_found", value=f"filkoppling {file_id}")
    return single("VoucherFileConnection", _connection_out(found))


@bp.post("/voucherfileconnections")
@requires("connectfile")
@guarded
def connect_file() -> Response:
    """Connect a file of the inbox or the archive to a voucher; a file to one voucher only."""
    given = validation.wrapped(body(), "VoucherFileConnection")
    allowed = {"@url", "FileId", "VoucherDescription", "VoucherNumber", "VoucherSeries"}
    validation.check_fields(given, allowed | {"VoucherYear"})
    file_id = validation.text(given, "FileId", required=True)
    series = validation.text(given, "VoucherSeries", required=True)
    number = validation.integer(validation.text(given, "VoucherNumber", required=True), "Number")
    year = _year(given)
    if store().get(tenant(), "file", file_id) is None:
        raise ApiError("not_found", value=f"filen {file_id}")
    voucher = store().get(tenant(), "voucher", ledger.voucher_key(year, series, number))
    if voucher is None:
        raise ApiError("not_found", value=f"verifikation {series}{number}")
    if store().get(tenant(), "fileconnection", file_id) is not None:
        raise ApiError("file_connected", value=file_id)
    connection = {
        "FileId": file_id,
        "VoucherDescription": voucher.get("Description", ""),
        "VoucherNumber": str(number),
        "VoucherSeries": series,
        "VoucherYear": year,
    }
    sort = f"{year}:{series}:{number:09d}"
    store().put(tenant(), "fileconnection", file_id, connection, sort=sort)
    return single("VoucherFileConnection", _connection_out(connection), 201)


def _year(given: dict) -> int:
    """The voucher's financial year: VoucherYear, else ?financialyear=, else the current one."""
    raw = given.get("VoucherYear")
    year = arg_int("financialyear") if raw in (None, "") else validation.integer(raw, "VoucherYear")
    if year is None:
        current = registers.current_year(store(), tenant())
        if current is None:
            raise ApiError("no_financial_year", value="idag")
        year = int(current["Id"])
    if registers.year_by_id(store(), tenant(), year) is None:
        raise ApiError("not_found", value=f"räkenskapsår {year}")
    return year


@bp.delete("/voucherfileconnections/<file_id>")
@requires("connectfile")
@guarded
def remove_connection(file_id: str) -> Response:
    """Remove a file's connection (the file stays)."""
    if store().get(tenant(), "fileconnection", file_id) is None:
        raise ApiError("not_found", value=f"filkoppling {file_id}")
    store().delete(tenant(), "fileconnection", file_id)
    return Response(status=204)


# The control API: take the archive licence away from a tenant (or give it back).
@control.bp.put("/tenants/<int:tenant_id>/licences")
def set_licences(tenant_id: int) -> Response:
    """{"archive": false}: the tenant's inbox, archive and file connections answer 403."""
    if store().tenant(tenant_id) is None:
        raise control.ControlError(f"no tenant {tenant_id}", 404)
    try:
        given = jsonio.loads(request.get_data() or b"{}")
    except ValueError:
        given = None
    if not isinstance(given, dict) or not isinstance(given.get("archive"), bool):
        raise control.ControlError('body must be {"archive": true|false}')
    store().put(tenant_id, "licence", "archive", {"active": given["archive"]})
    return jsonio.respond({"archive": given["archive"]})
