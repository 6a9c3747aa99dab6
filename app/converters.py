"""URL converters: an id too large for any database column is no id, so the URL is a 404."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Flask
from werkzeug.routing import IntegerConverter as _WerkzeugInteger
from werkzeug.routing import Map, PathConverter

# Primary keys are 32-bit INTEGER columns on PostgreSQL (and SQLite holds 64 bits): larger
# digits used to reach the query and fail there (OverflowError, DataError) as a 500.
MAX_ID = 2**31 - 1


def at_most(limit: int) -> str:
    """A regular expression for the decimal numbers from 0 to limit (leading zeros allowed)."""
    digits = str(limit)
    shorter = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    same = [
        f"{digits[:i]}[0-{int(d) - 1}]"
        + (rf"\d{{{len(digits) - i - 1}}}" if i < len(digits) - 1 else "")
        for i, d in enumerate(digits)
        if d != "0"
    ]
    return "(?:" + "|".join([*shorter, *same, digits]) + ")"


class SegmentConverter(PathConverter):
    """Any text (slashes too) in the URL as one percent-encoded segment no client resolves away."""

    def to_url(self, value: Any) -> str:
        # "/" encoded keeps "../../etc/passwd" one segment; a segment of dots alone is encoded
        # too, or a client would resolve "." and ".." (RFC 3986 dot segments) to another path.
        quoted = quote(str(value), safe=":@")
        return quoted.replace(".", "%2E") if not quoted.strip(".") else quoted


class IntegerConverter(_WerkzeugInteger):
    """Werkzeug's int converter whose pattern matches only ids an id column can hold."""

    regex = at_most(MAX_ID)

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        # A pattern that does not match leaves the URL unrouted: 404. Failing in to_python
        # instead made Werkzeug answer 405 when the path had a rule for another method.
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """The bounded <int:…> and the <segment:…> converters; call before any blueprint."""
    app.url_map.converters["int"] = IntegerConverter
    app.url_map.converters["segment"] = SegmentConverter


def id_arg(value: str | None) -> int | None:
    """A query-string id or number as an int, or None when it is missing, not one, or too large."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if number <= MAX_ID else None
