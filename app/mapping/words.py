"""The mapping's words for its sections and codes: the one table every area reads them from."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TITLES = {
    "payment_methods": _l("Payment methods"),
    "sales": _l("Sales: product group × VAT rate"),
    "vat": _l("Output VAT per rate"),
    "other": _l("Other categories"),
}
HINTS = {
    "payment_methods": _l("The account each payment is debited to. INVOICE is the receivable."),
    "sales": _l("GROUP:RATE, e.g. FOOD:12; *:RATE is the fallback for any group at that rate."),
    "vat": _l("The output VAT account per rate."),
    "other": _l("Tips and gift cards sold are liabilities; rounding and cash difference."),
}
LABELS = {
    "TIPS": _l("Tips"),
    "GIFT_CARDS_SOLD": _l("Gift cards sold"),
    "ROUNDING": _l("Cash rounding"),
    "CASH_DIFFERENCE": _l("Cash difference"),
    "CASH": _l("Cash"),
    "CARD": _l("Card"),
    "SWISH": _l("Swish"),
    "GIFT_CARD": _l("Gift card (redeemed)"),
    "INVOICE": _l("Invoice (receivable)"),
}
