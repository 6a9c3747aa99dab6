"""Query parameters as Fortnox reads them: the ones a path documents, text searched with ILIKE.

Which parameters a path takes comes from its operation in openapi.json (with the search parameters
its tag's table lists for a list, e.g. voucherseries on voucher file connections), plus the global
ones of Fortnox's "Parameters" page (lastmodified, financialyear, financialyeardate; fromdate/todate
on invoices, orders, offers and vouchers) and the paging and sorting every list has. Fortnox ignores
any other parameter, which is the harsher case for a client: GET /3/orders?yourordernumber=X
answers every order. The strict_params option answers 400 (2000588) instead.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from sandbox import spec
from sandbox.errors import ApiError

PAGING = frozenset({"limit", "page", "offset", "sortby", "sortorder"})
GLOBAL = frozenset({"lastmodified", "financialyear", "financialyeardate"})
DATED = ("/3/invoices", "/3/orders", "/3/offers", "/3/vouchers")
DATES = frozenset({"fromdate", "todate"})
# Fortnox searches these with ILIKE '%value%' (Parameters page); numbers and codes match exactly.
TEXT = frozenset(
    {
        "externalinvoicereference1", "externalinvoicereference2", "yourordernumber",
        "yourreference", "ourreference", "customername", "name", "email", "organisationnumber",
        "city", "zipcode", "phone", "articledescription",
    }
)  # fmt: skip


def accepted(method: str, path: str) -> frozenset[str] | None:
    """Lower-case names of the parameters Fortnox reads on this path (None: not documented)."""
    operation = spec.operation(method, path)
    if operation is None:
        return None
    names = operation.query_params() | operation.search_params() | PAGING | GLOBAL
    if operation.template.startswith(DATED):
        names |= DATES
    return names


def read(method: str, path: str, given: MultiDict, strict: bool) -> MultiDict:
    """The parameters Fortnox would act on, by lower-case name; the rest dropped (or 400)."""
    names = accepted(method, path)
    kept: MultiDict = MultiDict()
    for name, value in given.items(multi=True):
        key = name.lower()
        if names is None or key in names:
            kept.add(key, value)
        elif strict:
            raise ApiError("bad_parameter", value=name)
    return kept


def matches(param: str, wanted: str, value: object) -> bool:
    """Whether a field value answers a search: substring ignoring case for text, else equal."""
    have = "" if value is None else str(value)
    if param in TEXT:
        return wanted.casefold() in have.casefold()
    return have == wanted
