"""/3/accounts and /3/costcenters: read, create, change (cost centers also delete)."""

from __future__ import annotations

from decimal import Decimal

from flask import Response

from sandbox import registers, spec, validation
from sandbox.api.common import (
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

SETTINGS = ("ALLOWED", "MANDATORY", "NOTALLOWED")
ACCOUNT_FIELDS = {
    "@url", "Active", "BalanceBroughtForward", "BalanceCarriedForward", "CostCenter",
    "CostCenterSettings", "Description", "Number", "Project", "ProjectSettings", "SRU", "Year",
    "VATCode", "TransactionInformation", "TransactionInformationSettings", "QuantitySettings",
    "QuantityUnit", "OpeningQuantities",
}  # fmt: skip


def _account_out(account: dict) -> dict:
    """An account as Fortnox answers it."""
    year = registers.current_year(store(), tenant())
    return {
        "@url": f"{root()}accounts/{account['Number']}",
        "BalanceBroughtForward": Decimal("0.00"),
        "BalanceCarriedForward": Decimal("0.00"),
        "CostCenter": "",
        "Project": "",
        "TransactionInformation": "",
        "QuantityUnit": "",
        "OpeningQuantities": [],
        **account,
        "Year": year["Id"] if year else 0,
    }


def _account_update(account: dict, patch: dict) -> dict:
    """Apply the writable fields of an Account body."""
    validation.check_fields(patch, ACCOUNT_FIELDS)
    for name in ("Description", "VATCode", "CostCenter", "Project", "TransactionInformation"):
        if name in patch:
            account[name] = validation.text(patch, name, required=name == "Description")
    if "Active" in patch:
        account["Active"] = validation.flag(patch, "Active", True)
    if "SRU" in patch:
        account["SRU"] = validation.integer(patch["SRU"], "SRU")
    for name in (
        "CostCenterSettings",
        "ProjectSettings",
        "TransactionInformationSettings",
        "QuantitySettings",
    ):
        if name in patch:
            if patch[name] not in SETTINGS:
                raise ApiError("bad_enum", value=name)
            account[name] = patch[name]
    return account


@bp.get("/accounts")
@requires("bookkeeping")
def list_accounts() -> Response:
    """The chart of accounts (filter sru=)."""
    accounts = store().docs(tenant(), "account", modified_since=arg_lastmodified())
    sru = arg_int("sru")
    return listing([_account_out(a) for a in accounts if sru in (None, a["SRU"])], "Accounts")


@bp.get("/accounts/<int:number>")
@requires("bookkeeping")
def get_account(number: int) -> Response:
    """One account."""
    return single("Account", _account_out(find("account", str(number), "konto")))


@bp.post("/accounts")
@requires("bookkeeping")
def create_account() -> Response:
    """Add an account to the chart."""
    patch = validation.wrapped(body(), "Account")
    number = validation.integer(patch.get("Number", ""), "Number")
    if not 1000 <= number <= 9999:
        raise ApiError("account_range", value=number)
    if store().exists(tenant(), "account", str(number)):
        raise ApiError("account_exists", value=number)
    base = {
        "Number": number,
        "Active": True,
        "CostCenterSettings": "ALLOWED",
        "SRU": 0,
        "ProjectSettings": "ALLOWED",
        "TransactionInformationSettings": "ALLOWED",
        "QuantitySettings": "ALLOWED",
        "VATCode": "",
        "Description": "",
    }
    account = _account_update(base, {"Description": "", **patch})
    store().put(tenant(), "account", str(number), account)
    return single("Account", _account_out(account), 201)


@bp.put("/accounts/<int:number>")
@requires("bookkeeping")
def update_account(number: int) -> Response:
    """Change an account (e.g. {"Account": {"Active": false}})."""
    account = find("account", str(number), "konto")
    patch = validation.wrapped(body(), "Account")
    if "Number" in patch and validation.integer(patch["Number"], "Number") != number:
        raise ApiError("bad_field", value="Number")
    account = _account_update(account, patch)
    store().put(tenant(), "account", str(number), account)
    return single("Account", _account_out(account))


def _as_spec_says(patch: dict, name: str) -> None:
    """Refuse a new resource lacking a field the spec's schema requires, or with one too long."""
    schema = spec.schema(name)
    for field in schema.get("required", ()):
        validation.text(patch, field, required=True)
    for field, prop in spec.props(schema).items():
        value, most = patch.get(field), prop.get("maxLength")
        if isinstance(value, str) and most is not None and len(value) > most:
            raise ApiError("too_long", value=field, max=most)


def _center_out(center: dict) -> dict:
    """A cost center as Fortnox answers it."""
    return {"@url": f"{root()}costcenters/{center['Code']}", **center}


def _center_update(center: dict, patch: dict) -> dict:
    """Apply the writable fields of a CostCenter body."""
    validation.check_fields(patch, {"@url", "Code", "Description", "Note", "Active"})
    for name in ("Description", "Note"):
        if name in patch:
            center[name] = validation.text(patch, name, required=name == "Description")
    if "Active" in patch:
        center["Active"] = validation.flag(patch, "Active", True)
    return center


@bp.get("/costcenters")
@requires("costcenter")
def list_costcenters() -> Response:
    """All cost centers."""
    centers = store().docs(tenant(), "costcenter", modified_since=arg_lastmodified())
    return listing([_center_out(c) for c in centers], "CostCenters")


@bp.get("/costcenters/<code>")
@requires("costcenter")
def get_costcenter(code: str) -> Response:
    """One cost center."""
    return single("CostCenter", _center_out(find("costcenter", code, "kostnadsställe")))


@bp.post("/costcenters")
@requires("costcenter")
def create_costcenter() -> Response:
    """Add a cost center: Code (1-6 characters) and Description required, as the spec says."""
    patch = validation.wrapped(body(), "CostCenter")
    _as_spec_says(patch, "fortnox_CostCenter")
    code = validation.text(patch, "Code", required=True)
    if store().get(tenant(), "costcenter", code) is not None:
        raise ApiError("costcenter_exists", value=code)
    center = _center_update({"Code": code, "Description": "", "Note": "", "Active": True}, patch)
    store().put(tenant(), "costcenter", code, center)
    return single("CostCenter", _center_out(center), 201)


@bp.put("/costcenters/<code>")
@requires("costcenter")
def update_costcenter(code: str) -> Response:
    """Change a cost center (e.g. deactivate it)."""
    center = _center_update(
        find("costcenter", code, "kostnadsställe"), validation.wrapped(body(), "CostCenter")
    )
    store().put(tenant(), "costcenter", code, center)
    return single("CostCenter", _center_out(center))


@bp.delete("/costcenters/<code>")
@requires("costcenter")
def delete_costcenter(code: str) -> tuple[str, int]:
    """Remove a cost center."""
    find("costcenter", code, "kostnadsställe")
    store().delete(tenant(), "costcenter", code)
    return "", 204
