"""A voucher row's text as Fortnox keeps it (English); labels.py reads it in the reader's words."""

from __future__ import annotations


def _(text: str) -> str:
    """Mark a user-visible string for translation (the voucher keeps its English words)."""
    return text


PAYMENT = _("Payment {0}")
SALES = _("Sales {0} {1} %")
OUTPUT_VAT = _("Output VAT {0} %")
LABELS = (
    PAYMENT,
    SALES,
    OUTPUT_VAT,
    _("Tips"),
    _("Gift cards sold"),
    _("Rounding"),
    _("Cash difference"),
)
