"""Fortnox's error codes in plain words with the fix, falling back on the HTTP status."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# code -> (what happened, what to do). Codes from FORTNOX.md §3 and §8.
BY_CODE: dict[int, tuple[str, str]] = {
    2000401: (
        _l("The date falls in a period that is locked in Fortnox."),
        _l("Unlock the period in Fortnox (Inställningar › Bokföring) or post on a later date."),
    ),
    2000946: (
        _l("The account requires a cost center and none was sent."),
        _l("Give the store a cost center in Kassabok that exists in Fortnox."),
    ),
    2000947: (
        _l("The account or cost center is not active in Fortnox."),
        _l("Activate it in Fortnox, or map another account / cost center in Kassabok."),
    ),
    2001101: (
        _l("The Fortnox company has no active licence for a permission Kassabok needs."),
        _l("Add the licence in Fortnox, then authorize Kassabok again."),
    ),
    2001103: (
        _l("The Fortnox company has no API licence."),
        _l("Ask Fortnox to activate the integration (API) licence."),
    ),
    2001304: (
        _l("The account does not exist in the Fortnox chart of accounts."),
        _l("Create the account in Fortnox or map another one in Kassabok."),
    ),
    2000423: (
        _l("The account does not exist in the Fortnox chart of accounts."),
        _l("Create the account in Fortnox or map another one in Kassabok."),
    ),
    2000310: (
        _l("Fortnox did not accept Kassabok's credentials."),
        _l("Authorize Kassabok in Fortnox again."),
    ),
    2000311: (
        _l("Fortnox did not accept Kassabok's credentials."),
        _l("Authorize Kassabok in Fortnox again."),
    ),
    2000637: (
        _l("The customer number is already used in Fortnox."),
        _l("Use another customer number; Fortnox never reuses one, even after deletion."),
    ),
    2000588: (
        _l("Fortnox did not understand a parameter of the request."),
        _l("Report this to Kassabok's support."),
    ),
    2001392: (
        _l("Fortnox received no or the wrong kind of data."),
        _l("Report this to Kassabok's support."),
    ),
    2002115: (
        _l("Fortnox could not read the data sent."),
        _l("Report this to Kassabok's support."),
    ),
}

BY_STATUS: dict[int, tuple[str, str]] = {
    400: (
        _l("Fortnox refused the data."),
        _l("Check the mapping, the cost centers and the voucher series, then retry."),
    ),
    401: (_l("Fortnox no longer accepts the connection."), _l("Authorize Kassabok again.")),
    403: (
        _l("Fortnox does not allow Kassabok to do this."),
        _l("Check the licences in Fortnox and authorize Kassabok again."),
    ),
    404: (_l("Fortnox does not have what was asked for."), _l("Check the number and retry.")),
    409: (_l("Fortnox reports a conflict."), _l("Reload and retry.")),
}


def explain(code: int | None, status: int | None) -> tuple[str, str]:
    """(what happened, what to do) for a Fortnox error code, else its HTTP status."""
    if code in BY_CODE:
        what, fix = BY_CODE[code]
    elif status in BY_STATUS:
        what, fix = BY_STATUS[status]
    else:
        return _("Fortnox answered with an error."), _("Retry later; if it persists, contact us.")
    return str(what), str(fix)
