"""What a rendered Z-report shows, read from a closure's payload (pure: no I/O, amounts Decimal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")


def _amount(value: object) -> Decimal:
    return Decimal(str(value if value not in (None, "") else "0"))


@dataclass(frozen=True)
class Line:
    """One row of sales: a product group at one VAT rate, or one rate's total."""

    group: str
    rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class Sheet:
    """Everything a Z-report prints, in the order it prints it."""

    sales: list[Line]
    by_rate: list[Line]
    gross_sales: Decimal  # the positive lines
    returns: Decimal  # the negative lines, as a positive amount
    net: Decimal
    vat: Decimal
    gross: Decimal
    payments: list[tuple[str, Decimal]]
    paid: Decimal
    tips: list[tuple[str, Decimal]]
    gift_cards: list[tuple[Decimal, int]]
    rounding: Decimal
    cash_expected: Decimal | None
    cash_counted: Decimal | None
    cash_difference: Decimal | None
    grand_sales: Decimal | None
    grand_returns: Decimal | None
    invoice_sales: list[tuple[str, str, Decimal]] = field(default_factory=list)

    @property
    def grand_net(self) -> Decimal | None:
        """The register's grand total of sales less returns."""
        if self.grand_sales is None or self.grand_returns is None:
            return None
        return self.grand_sales - self.grand_returns


def _lines(sales: list[dict[str, Any]]) -> list[Line]:
    """Sales summed per product group and VAT rate, highest rate first, then by group."""
    sums: dict[tuple[str, Decimal], list[Decimal]] = {}
    for line in sales:
        key = (str(line.get("product_group", "")), _amount(line.get("vat_rate")))
        acc = sums.setdefault(key, [ZERO, ZERO, ZERO])
        for i, name in enumerate(("net", "vat", "gross")):
            acc[i] += _amount(line.get(name))
    ordered = sorted(sums.items(), key=lambda item: (-item[0][1], item[0][0]))
    return [Line(group, rate, *acc) for (group, rate), acc in ordered]


def _by_rate(lines: list[Line]) -> list[Line]:
    """The lines summed per VAT rate."""
    rates: dict[Decimal, list[Decimal]] = {}
    for line in lines:
        acc = rates.setdefault(line.rate, [ZERO, ZERO, ZERO])
        acc[0], acc[1], acc[2] = acc[0] + line.net, acc[1] + line.vat, acc[2] + line.gross
    return [Line("", rate, *acc) for rate, acc in sorted(rates.items(), reverse=True)]


def sheet(payload: dict[str, Any]) -> Sheet:
    """The Z-report of a closure as the POS sent it."""
    sales = list(payload.get("sales") or [])
    lines = _lines(sales)
    gross = [_amount(line.get("gross")) for line in sales]
    payments = [(str(p["method"]), _amount(p["amount"])) for p in payload.get("payments") or []]
    count = payload.get("cash_count") or {}
    expected = _amount(count["expected"]) if count else None
    counted = _amount(count["counted"]) if count else None
    grand = payload.get("grand_total") or {}
    return Sheet(
        sales=lines,
        by_rate=_by_rate(lines),
        gross_sales=sum((g for g in gross if g > 0), ZERO),
        returns=-sum((g for g in gross if g < 0), ZERO),
        net=sum((line.net for line in lines), ZERO),
        vat=sum((line.vat for line in lines), ZERO),
        gross=sum(gross, ZERO),
        payments=payments,
        paid=sum((amount for _m, amount in payments), ZERO),
        tips=[(str(t["method"]), _amount(t["amount"])) for t in payload.get("tips") or []],
        gift_cards=[
            (_amount(g["amount"]), int(g.get("count") or 0))
            for g in payload.get("gift_cards_sold") or []
        ],
        rounding=_amount(payload.get("rounding")),
        cash_expected=expected,
        cash_counted=counted,
        cash_difference=None if counted is None or expected is None else counted - expected,
        grand_sales=_amount(grand["sales"]) if grand else None,
        grand_returns=_amount(grand["returns"]) if grand else None,
        invoice_sales=[
            (
                str(s.get("reference", "")),
                str(s.get("customer_name") or s.get("customer_number")),
                sum(
                    (_amount(x.get("net")) + _amount(x.get("vat")) for x in s.get("lines") or []),
                    ZERO,
                )
                + _amount(s.get("tip")),
            )
            for s in payload.get("invoice_sales") or []
        ],  # fmt: skip
    )
