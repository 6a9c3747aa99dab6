"""A first and last day from the query string, written YYYY-MM-DD whatever the browser's locale.

Pages show these as text inputs with an ISO pattern and placeholder (templates/_date_range.html):
Chromium's own date picker writes the browser's locale (10/01/2026 for en-US), never ISO.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

PATTERN = r"\d{4}-\d{2}-\d{2}"
_ISO = re.compile(PATTERN)


@dataclass(frozen=True)
class DateRange:
    """The days asked for (None when not given or not readable) and what to fix per field."""

    start: date | None = None
    end: date | None = None
    errors: dict[str, str] = field(default_factory=dict)


def iso_day(text: str | None) -> tuple[date | None, bool]:
    """A YYYY-MM-DD date (None when empty) and whether the text was one."""
    text = (text or "").strip()
    if not text:
        return None, True
    if not _ISO.fullmatch(text):
        return None, False  # Python also reads 20261101 and 2026-W44: the pages ask for one form
    try:
        return date.fromisoformat(text), True
    except ValueError:
        return None, False


def parse_range(args: Mapping[str, str], first: str = "from", last: str = "to") -> DateRange:
    """The range the query string asks for, with a message per field that cannot be read."""
    errors: dict[str, str] = {}
    start, ok = iso_day(args.get(first))
    if not ok:
        errors[first] = _("Write the first day as YYYY-MM-DD, e.g. 2026-11-01.")
    end, ok = iso_day(args.get(last))
    if not ok:
        errors[last] = _("Write the last day as YYYY-MM-DD, e.g. 2026-11-30.")
    if start and end and end < start:
        errors[last] = _("The last day is before the first day: choose one on or after the first.")
        end = None
    return DateRange(start, end, errors)
