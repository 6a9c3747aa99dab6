"""Cells a spreadsheet opens as data: no cell it could take for a formula (app/exports.py)."""

from __future__ import annotations

import re

# A cell starting with one of these is a formula (or turns into one) in Excel, LibreOffice
# and Google Sheets; a leading apostrophe makes it text there.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def safe_cell(value: object) -> object:
    """The value, with a leading ' when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
