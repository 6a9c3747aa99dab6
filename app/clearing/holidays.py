"""Swedish banking days: weekdays that are not Swedish public holidays (nor bank-closed eves)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def easter(year: int) -> date:
    """Easter Sunday of year (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _saturday_between(year: int, month: int, first: int, last: int) -> date:
    """The Saturday of year between month's first and last day (midsummer, All Saints)."""
    start = date(year, month, first)
    found = start + timedelta(days=(5 - start.weekday()) % 7)
    assert found.day <= last
    return found


@cache
def holidays(year: int) -> frozenset[date]:
    """Sweden's public holidays of year, and the eves banks keep closed."""
    sunday = easter(year)
    midsummer = _saturday_between(year, 6, 20, 26)
    days = {
        date(year, 1, 1),  # nyårsdagen
        date(year, 1, 6),  # trettondedag jul
        sunday - timedelta(days=2),  # långfredagen
        sunday + timedelta(days=1),  # annandag påsk
        date(year, 5, 1),  # första maj
        sunday + timedelta(days=39),  # Kristi himmelsfärdsdag
        date(year, 6, 6),  # nationaldagen
        midsummer - timedelta(days=1),  # midsommarafton: banks closed
        date(year, 12, 24),  # julafton: banks closed
        date(year, 12, 25),  # juldagen
        date(year, 12, 26),  # annandag jul
        date(year, 12, 31),  # nyårsafton: banks closed
    }
    return frozenset(days)


def is_banking_day(day: date) -> bool:
    """Whether Swedish banks settle on day: a weekday and no holiday."""
    return day.weekday() < 5 and day not in holidays(day.year)


def add_banking_days(day: date, count: int) -> date:
    """The banking day count banking days after day (day itself need not be one)."""
    current = day
    while count > 0:
        current += timedelta(days=1)
        if is_banking_day(current):
            count -= 1
    return current


def banking_days_between(start: date, end: date) -> int:
    """How many banking days after start up to and including end (0 when end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += is_banking_day(current)
    return count


def swedish_today(now: datetime | None = None) -> date:
    """Today in Sweden, where the banking days are counted."""
    return (now or datetime.now(UTC)).astimezone(STOCKHOLM).date()
