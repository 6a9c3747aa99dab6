"""Where each hold is fixed: the page a held closure's reason links to."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.overview.nav import may_open_page

# hold code -> (endpoint, link text); every other code is fixed on the closure's own page.
PAGES = {
    "unmapped_payment_method": ("mapping.index", _l("Fix the mapping")),
    "unmapped_sales": ("mapping.index", _l("Fix the mapping")),
    "unmapped_vat": ("mapping.index", _l("Fix the mapping")),
    "unmapped_other": ("mapping.index", _l("Fix the mapping")),
    "no_mapping": ("mapping.index", _l("Fix the mapping")),
    "unknown_store": ("companies.stores", _l("Set up the store")),
    "tip_on_invoice_not_allowed": ("companies.settings", _l("Open the settings")),
    "voucher_series_too_long": ("companies.settings", _l("Open the settings")),
    "cost_center_too_long": ("companies.stores", _l("Set up the store")),
    "auth_lost": ("fortnox.index", _l("Reconnect Fortnox")),
    "preflight_failed": ("fortnox.run_preflight", _l("Open the pre-flight check")),
    "orgnr_unconfirmed": ("fortnox.index", _l("Open the Fortnox page")),
}
CLOSURE = _l("Open the closure")
# A page outside the navigation opens for the roles of the navigation page it belongs to.
GATES = {"fortnox.run_preflight": "fortnox.index"}
ADMIN_ONLY = {"orgnr_unconfirmed"}  # holds only an admin fixes: the others are told to ask one


def fix_link(company_id: int, closure_pk: int, code: str) -> tuple[str, str] | None:
    """The URL and words of the link to where code's hold is fixed, if the reader may go there."""
    endpoint, text = PAGES.get(code, ("closures.show", CLOSURE))
    if endpoint == "closures.show":
        return url_for(endpoint, company_id=company_id, pk=closure_pk), str(text)
    if not may_open_page(GATES.get(endpoint, endpoint)):
        return None
    return url_for(endpoint, company_id=company_id), str(text)


def fixed_by(code: str) -> str:
    """Whom a reader who may not open the fix's page asks to fix code's hold."""
    if code in ADMIN_ONLY:
        return _("Ask an admin of the company to fix it.")
    return _("Ask an accountant or admin of the company to fix it.")
