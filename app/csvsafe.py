"""CSV that a spreadsheet opens as data: no cell it could take for a formula."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

# A cell starting with one of these is a formula (or turns into one) in Excel, LibreOffice
# and Google Sheets; a leading apostrophe makes it text there.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def safe_cell(value: object) -> object:
    """The value, with a leading ' when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(header: Iterable[object], rows: Iterable[Iterable[object]]) -> str:
    """CSV text with a BOM (so Excel reads UTF-8), CRLF line ends, every cell made safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
