"""Language and time zone choice, and the Jinja filters that format amounts and dates."""

from __future__ import annotations

import re
from datetime import date as date_type
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

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


def money(value: Decimal | int | str | None, currency: str = "SEK") -> str:
    """An amount as the user's locale writes it, e.g. '1 820,00 kr' or 'SEK 1,820.00'."""
    if value is None or value == "":
        return ""
    text = format_currency(Decimal(value), currency)
    # CLDR's currency spacing, which Babel leaves out: "SEK1,820.50" -> "SEK 1,820.50".
    return _CODE_THEN_DIGIT.sub("\\1\xa0", text)


def number(value: Decimal | int | None, digits: int = 2) -> str:
    """A plain number with the locale's separators and a fixed number of decimals."""
    if value is None:
        return ""
    return format_decimal(Decimal(value), format=f"#,##0.{'0' * digits}" if digits else "#,##0")


def date(value: date_type | datetime | str | None, fmt: str = "medium") -> str:
    """A calendar date in the user's locale ('short', 'medium', 'long' or a Babel pattern)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date_type.fromisoformat(value)
    if isinstance(value, datetime):
        return format_datetime(value, fmt if fmt != "medium" else "medium")
    return format_date(value, fmt)


def datetime_(value: datetime | None, fmt: str = "short") -> str:
    """A moment in Swedish time, formatted for the user's locale."""
    return "" if value is None else format_datetime(value, fmt)


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
    """Register the filters `money`, `number`, `date` and `datetime`."""
    app.jinja_env.filters.update(money=money, number=number, date=date, datetime=datetime_)
    app.context_processor(_context)
    app.before_request(_forget_cached_locale)
