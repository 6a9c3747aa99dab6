"""Swedish banking days: weekdays less the public holidays and the eves banks keep closed."""

from __future__ import annotations

from datetime import date

import pytest

from app.clearing.holidays import add_banking_days, banking_days_between, easter, holidays


@pytest.mark.parametrize(
    ("year", "sunday"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter(year: int, sunday: date) -> None:
    assert easter(year) == sunday


def test_the_holidays_of_2026() -> None:
    assert holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 1, 6),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 14),
        date(2026, 6, 6),
        date(2026, 6, 19),
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 31),
    }


def test_banking_days_skip_weekends_and_holidays() -> None:
    assert add_banking_days(date(2026, 1, 2), 1) == date(2026, 1, 5)  # Friday -> Monday
    assert add_banking_days(date(2026, 1, 5), 1) == date(2026, 1, 7)  # over trettondagen
    assert add_banking_days(date(2026, 4, 2), 1) == date(2026, 4, 7)  # over Easter
    assert add_banking_days(date(2026, 12, 23), 1) == date(2026, 12, 28)  # over Christmas
    assert add_banking_days(date(2026, 6, 18), 5) == date(2026, 6, 26)  # midsummer's eve
    assert add_banking_days(date(2026, 1, 10), 0) == date(2026, 1, 10)


def test_banking_days_between() -> None:
    assert banking_days_between(date(2026, 1, 2), date(2026, 1, 9)) == 4  # 6 January is off
    assert banking_days_between(date(2026, 1, 9), date(2026, 1, 2)) == 0
