"""Language and time zone choice, and the Jinja filters that format amounts and dates."""

from __future__ import annotations

import re
from datetime import date as date_type
from datetime import datetime
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import (
    format_compact_decimal,
    format_currency,
    format_decimal,
    get_currency_symbol,
    get_minus_sign_symbol,
)
from babel.units import format_unit
from flask import Flask, current_app, has_app_context, has_request_context, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from app.words import code_label, mapping_place, pointer_place

LOCALE_COOKIE = "kassabok_lang"
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}
_CODE_THEN_DIGIT = re.compile(r"([A-Z]{3})(?=\d)")


def supported(code: str | None) -> str | None:
    """code if it is one of the portal's languages, else None."""
    return code if code in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    """The signed-in user's language, else the visitor's choice, else Swedish."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False):
        chosen = supported(getattr(current_user, "locale", None))
        if chosen:
            return chosen
    return (
        supported(session.get("locale"))
        or supported(request.cookies.get(LOCALE_COOKIE))
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    """Every company keeps Swedish time."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def money(
    value: Decimal | int | str | None, currency: str = "SEK", locale: str | None = None
) -> str:
    """An amount as the user's (or locale's) way, e.g. '−1 820,00 kr' or '-SEK 1,820.00'."""
    if value is None or value == "":
        return ""
    text = format_currency(Decimal(value), currency, locale=_locale(locale))
    # CLDR's currency spacing, which Babel leaves out: "SEK1,820.50" -> "SEK 1,820.50".
    return _minus(_CODE_THEN_DIGIT.sub("\\1\xa0", text), locale)


def number(value: Decimal | int | str | None, digits: int = 2, locale: str | None = None) -> str:
    """A plain number with the locale's separators and a fixed number of decimals."""
    if value is None or value == "":
        return ""
    pattern = f"#,##0.{'0' * digits}" if digits else "#,##0"
    return _minus(format_decimal(Decimal(value), format=pattern, locale=_locale(locale)), locale)


def _locale(chosen: str | None = None) -> Locale | str:
    """The locale asked for (a PDF's language), else the reader's, else Swedish."""
    return chosen or (get_locale() if has_app_context() else None) or "sv"


def compact(value: Decimal | int | None) -> str:
    """A short number for a chart's axis: '12,5 tn' in Swedish, '12.5K' in English."""
    if value is None:
        return ""
    short = format_compact_decimal(value, fraction_digits=1, locale=_locale())
    return _minus(short)


def currency(code: str = "SEK") -> str:
    """The currency's symbol as the user's locale writes it: 'kr' in Swedish, 'SEK' in English."""
    return get_currency_symbol(code, locale=_locale())


def _minus(text: str, locale: str | None = None) -> str:
    """The locale's own minus sign (Swedish writes U+2212), which Babel's patterns leave as '-'."""
    if not text.startswith("-"):
        return text
    return get_minus_sign_symbol(_locale(locale)) + text[1:]


def filesize(size: int | None, locale: str | None = None) -> str:
    """A file's size in the user's locale, e.g. '1,2 MB' or '1.2 MB' (1 kB = 1024 bytes)."""
    if size is None:
        return ""
    value, step = Decimal(size), 0
    while value >= 1024 and step < len(_UNITS) - 1:
        value, step = value / 1024, step + 1
    unit = f"digital-{_UNITS[step]}"
    return format_unit(value, unit, length="short", format="#,##0.#", locale=_locale(locale))


_UNITS = ("byte", "kilobyte", "megabyte", "gigabyte")


def _date_locale() -> Locale | str:
    """The locale dates are written in: an English reader gets English words in Swedish order.

    en_SE is CLDR's English as written in Sweden: 2026-10-01 and a 24-hour clock, never the
    US 10/1/26, 3:04 PM that plain 'en' would give.
    """
    locale = get_locale() or Locale("sv")
    return "en_SE" if locale.language == "en" else locale


def date(value: date_type | datetime | str | None, fmt: str = "medium") -> str:
    """A calendar date in the user's locale ('short', 'medium', 'long' or a Babel pattern)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date_type.fromisoformat(value)
    if isinstance(value, datetime):
        return datetime_(value, fmt)
    return format_date(value, fmt, locale=_date_locale())


def datetime_(value: datetime | None, fmt: str = "short") -> str:
    """A moment in Swedish time, formatted for the user's locale."""
    if value is None:
        return ""
    return format_datetime(value, fmt, tzinfo=get_timezone(), locale=_date_locale())


def _context() -> dict[str, Any]:
    """What every template may use about the language."""
    return {"current_locale": str(get_locale()), "language_names": LANGUAGE_NAMES}


def _forget_cached_locale() -> None:
    """Choose the user and language afresh for each request."""
    # flask-login and flask-babel cache on g, which outlives a request when an app context is
    # reused (jobs and tests push one); a stale anonymous user would pick the wrong language.
    from flask import g

    g.pop("_login_user", None)
    g.pop("_flask_babel", None)


def init_app(app: Flask) -> None:
    """Register the filters that format amounts, dates and the codes (an area adds its own).

    `money`, `number`, `compact`, `filesize`, `date`, `datetime`, `code_label`, `mapping_place`
    and `pointer_place`; closures registers `problem`. Flask-Babel's own `dateformat` and
    `datetimeformat` are replaced by the same functions, so no page writes a US date.
    """
    filters = {"money": money, "number": number, "compact": compact, "filesize": filesize}
    filters.update(date=date, currency=currency)
    filters.update(code_label=code_label, mapping_place=mapping_place, pointer_place=pointer_place)
    filters.update(datetime=datetime_, dateformat=date, datetimeformat=datetime_)
    app.jinja_env.filters.update(filters)
    app.context_processor(_context)
    app.before_request(_forget_cached_locale)
