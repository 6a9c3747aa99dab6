"""The codes' words: the mapping's sections and the POS codes, the one table every area reads."""

from __future__ import annotations

from flask_babel import gettext
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
    "FEES": _l("Card and payout fees"),
    "CASH": _l("Cash"),
    "CARD": _l("Card"),
    "SWISH": _l("Swish"),
    "GIFT_CARD": _l("Gift card (redeemed)"),
    "INVOICE": _l("Invoice (receivable)"),
}


def code_label(code: str) -> str:
    """A POS code (CASH, CARD, CASH_DIFFERENCE...) in the reader's words; its own (AMEX) as is."""
    return str(LABELS[code]) if code in LABELS else code


def mapping_place(section: str, key: str = "") -> str:
    """Where in the mapping a key sits, in words: 'Other categories › Cash difference'."""
    title = str(TITLES[section]) if section in TITLES else section
    if not key:
        return title
    return f"{title} › {_key_words(section, key)}"


def _key_words(section: str, key: str) -> str:
    """A mapping key in words: a code's label, or a product group and VAT rate."""
    if section == "sales" and ":" in key:
        group, _sep, rate = key.rpartition(":")
        words = gettext("any product group") if group == "*" else group
        return f"{words}, {rate} %"
    if section == "vat":
        return f"{key} %"
    return code_label(key)


def pointer_place(path: str) -> str:
    """A JSON pointer into a mapping file (/other/CASH_DIFFERENCE) in words; others as they are."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.strip("/").split("/")]
    if not parts or parts[0] not in TITLES or len(parts) > 2:
        return path
    return mapping_place(parts[0], parts[1] if len(parts) > 1 else "")
