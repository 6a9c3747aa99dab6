"""A month's chart as plain SVG geometry: POS against Fortnox per day, and the status mix."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.reconcile.facts import STATUSES
from app.reconcile.grid import Grid

WIDTH, HEIGHT, PAD, LEFT = 760, 220, 24, 56
MIX_HEIGHT = 60


@dataclass(frozen=True)
class Bar:
    """One rectangle, with the text a screen reader and a tooltip get."""

    x: float
    y: float
    w: float
    h: float
    css: str
    title: str

    @classmethod
    def at(cls, x: float, y: float, w: float, h: float, css: str, title: str) -> Bar:
        """A bar with its geometry to a tenth, as the SVG prints it."""
        return cls(round(x, 1), round(y, 1), round(w, 1), round(h, 1), css, title)


@dataclass(frozen=True)
class Chart:
    """Everything the template draws."""

    width: int
    height: int
    bars: list[Bar]
    mix: list[Bar]
    ticks: list[tuple[float, str]]  # y, label
    labels: list[tuple[float, str]]  # x, day number
    top: Decimal
    left: int = LEFT


def _nice(value: Decimal) -> Decimal:
    """A round upper bound for the axis."""
    if value <= 0:
        return Decimal(1)
    step = Decimal(10) ** (len(str(int(value))) - 1)
    return ((value / step).to_integral_value(rounding="ROUND_CEILING")) * step


def _short(amount: Decimal) -> str:
    """An axis label: 12 500 as 12.5k, a million as 1M."""
    if amount >= 1_000_000:
        return f"{amount / 1_000_000:.1f}M".replace(".0M", "M")
    if amount >= 1000:
        return f"{amount / 1000:.1f}k".replace(".0k", "k")
    return f"{amount:.0f}"


def month_chart(grid: Grid) -> Chart:
    """Two bars per day (POS, Fortnox) and a stacked status strip under them."""
    days = grid.days
    top = _nice(max([*grid.pos.values(), *grid.fortnox.values(), Decimal(0)]))
    plot = HEIGHT - 2 * PAD
    slot = (WIDTH - LEFT - PAD) / max(len(days), 1)
    bars, mix, labels = [], [], []
    for i, day in enumerate(days):
        x = LEFT + i * slot
        for j, (series, values) in enumerate((("pos", grid.pos), ("fortnox", grid.fortnox))):
            amount = values.get(day, Decimal(0))
            h = float(amount / top) * plot if top else 0.0
            title = f"{day.isoformat()} {'POS' if series == 'pos' else 'Fortnox'} {amount:.2f}"
            bars.append(
                Bar.at(
                    x + 1 + j * (slot - 2) / 2, HEIGHT - PAD - h, (slot - 2) / 2, h, series, title
                )
            )
        counts = grid.mix.get(day, {})
        total = sum(counts.values())
        y = HEIGHT + 8
        for status in reversed(STATUSES):
            n = counts.get(status, 0)
            if not n:
                continue
            h = MIX_HEIGHT * n / total
            mix.append(
                Bar.at(x + 1, y, slot - 2, h, f"st-{status}", f"{day.isoformat()} {status} {n}")
            )
            y += h
        if i == 0 or (i + 1) % 5 == 0:
            labels.append((round(x + slot / 2, 1), str(day.day)))
    ticks = [(HEIGHT - PAD - plot * k / 4, _short(top * k / 4)) for k in range(5)]
    return Chart(WIDTH, HEIGHT + MIX_HEIGHT + 16, bars, mix, ticks, labels, top)
