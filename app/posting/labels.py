"""A voucher row's text, built in English as Fortnox keeps it, read in the reader's language."""

from __future__ import annotations

import re
from functools import cache

from flask import has_app_context
from flask_babel import gettext

from app.posting.prose import pattern
from app.posting.row_texts import LABELS, PAYMENT
from app.words import code_label


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each label template with a pattern that gives back its {0}, {1}... values."""
    return tuple((english, re.compile(pattern(english))) for english in LABELS)


def row_label(label: str) -> str:
    """The row's text in the current language; text no template made stays as it is."""
    if not label or not has_app_context():
        return label
    if ", " in label:  # rows merged on one account: "Payment CARD, Payment AMEX"
        return ", ".join(_one_label(part) for part in label.split(", "))
    return _one_label(label)


def _one_label(label: str) -> str:
    """One template's text in the current language, or the text as it is."""
    for english, compiled in _patterns():
        found = compiled.fullmatch(label)
        if found:
            values = found.groups()
            if english == PAYMENT:  # "Payment CARD" reads "Betalning kort"
                values = tuple(code_label(v) for v in values)
            return gettext(english).format(*values)
    return label
