"""/3/customers: create, read, change, delete (numbers stay used)."""

from __future__ import annotations

from flask import Response

from sandbox import registers, validation
from sandbox.api.common import (
    arg_lastmodified,
    body,
    bp,
    find,
    listing,
    match_args,
    requires,
    root,
    single,
    store,
    tenant,
)  # fmt: skip
from sandbox.errors import ApiError

FIELDS = {
    "@url", "Active", "Address1", "Address2", "City", "CountryCode", "Currency", "CustomerNumber",
    "Email", "Name", "OrganisationNumber", "Phone1", "Type", "VATType", "ZipCode", "YourReference",
    "OurReference", "Comments",
}  # fmt: skip


def _out(customer: dict) -> dict:
    """A customer as Fortnox answers it."""
    return {"@url": f"{root()}customers/{customer['CustomerNumber']}", **customer}


@bp.get("/customers")
@requires("customer")
def list_customers() -> Response:
    """Customers (filters customernumber, name, organisationnumber, email)."""
    found = store().docs(tenant(), "customer", modified_since=arg_lastmodified())
    found = match_args(
        found,
        {
            "customernumber": "CustomerNumber",
            "name": "Name",
            "organisationnumber": "OrganisationNumber",
            "email": "Email",
        },
    )
    # A list item's phone is "Phone" (spec, recorded customers/search_by_name).
    return listing([{**_out(c), "Phone": c.get("Phone1", "")} for c in found], "Customers")


@bp.get("/customers/<number>")
@requires("customer")
def get_customer(number: str) -> Response:
    """One customer."""
    return single("Customer", _out(find("customer", number, "kund")))


@bp.post("/customers")
@requires("customer")
def create_customer() -> Response:
    """Create a customer; a number once used (even deleted) is refused."""
    patch = validation.wrapped(body(), "Customer")
    validation.check_fields(patch, FIELDS)
    patch.pop("@url", None)
    with store().write():
        customer = registers.save_customer(store(), tenant(), patch)
    return single("Customer", _out(customer), 201)


@bp.put("/customers/<number>")
@requires("customer")
def update_customer(number: str) -> Response:
    """Change a customer."""
    customer = find("customer", number, "kund")
    patch = validation.wrapped(body(), "Customer")
    validation.check_fields(patch, FIELDS)
    if str(patch.get("CustomerNumber", number)) != number:
        raise ApiError("bad_field", value="CustomerNumber")
    patch.pop("@url", None)
    customer = registers.save_customer(store(), tenant(), {**customer, **patch}, new=False)
    return single("Customer", _out(customer))


@bp.delete("/customers/<number>")
@requires("customer")
def delete_customer(number: str) -> tuple[str, int]:
    """Delete a customer; the number stays reserved."""
    find("customer", number, "kund")
    store().delete(tenant(), "customer", number)
    return "", 204
