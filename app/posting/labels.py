"""A voucher row's text, built in English as Fortnox keeps it, read in the reader's language."""

from __future__ import annotations

import re
from functools import cache

from flask import has_app_context
from flask_babel import gettext

from app.mapping.words import LABELS as CODE_LABELS  # the one table of the codes' words
from app.mapping.words import TITLES
from app.posting.prose import pattern
from app.posting.row_texts import LABELS, PAYMENT


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


def code_label(code: str) -> str:
    """A POS code (CASH, CARD, CASH_DIFFERENCE...) in the reader's words; its own (AMEX) as is."""
    return str(CODE_LABELS[code]) if code in CODE_LABELS else code


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
