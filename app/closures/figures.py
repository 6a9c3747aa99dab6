"""A closure's figures as people read them: totals per row, VAT rates, payment method names."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import format_percent
from flask_babel import get_locale

from app.words import LABELS

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Totals:
    """What a list row shows of a closure: gross sales, VAT and the cash difference (or None)."""

    gross: Decimal
    vat: Decimal
    cash_difference: Decimal | None


def total_of(lines: list[dict[str, Any]], key: str = "amount") -> Decimal:
    """The sum of one amount over a closure's lines."""
    return sum((Decimal(str(line.get(key, "0"))) for line in lines), ZERO)


def cash_difference(payload: dict[str, Any]) -> Decimal | None:
    """Counted minus expected cash (a shortage is negative), or None without a cash count."""
    count = payload.get("cash_count")
    if not count:
        return None
    return Decimal(str(count["counted"])) - Decimal(str(count["expected"]))


def cash_over(payload: dict[str, Any], threshold: Decimal) -> Decimal | None:
    """The cash difference when it is off by more than threshold (then a note must say why)."""
    difference = cash_difference(payload)
    return difference if difference is not None and abs(difference) > threshold else None


def totals(payload: dict[str, Any]) -> Totals:
    """A stored closure's gross sales, VAT and cash difference."""
    sales = payload.get("sales", [])
    return Totals(total_of(sales, "gross"), total_of(sales, "vat"), cash_difference(payload))


def vat_rate(rate: object) -> str:
    """A VAT rate as the reader's locale writes a percentage: '25 %' (Swedish), '25%' (English)."""
    if rate is None or rate == "":
        return ""
    value = Decimal(str(rate)) / 100
    return format_percent(value, locale=get_locale() or "sv", decimal_quantization=False)


def payment_name(method: str) -> str:
    """A payment method's name in the reader's language (an unknown method as the POS sent it)."""
    return str(LABELS.get(method, method))
