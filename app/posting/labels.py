"""A voucher row's text, built in English as Fortnox keeps it, read in the reader's language."""

from __future__ import annotations

import re
from functools import cache

from flask import has_app_context
from flask_babel import gettext

from app.posting.builder import LABELS
from app.posting.prose import pattern


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each label template with a pattern that gives back its {0}, {1}... values."""
    return tuple((english, re.compile(pattern(english))) for english in LABELS)


def row_label(label: str) -> str:
    """The row's text in the current language; text no template made stays as it is."""
    if not label or not has_app_context():
        return label
    for english, compiled in _patterns():
        found = compiled.fullmatch(label)
        if found:
            return gettext(english).format(*found.groups())
    return label
