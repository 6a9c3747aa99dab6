"""A month's chart as plain SVG geometry: POS against Fortnox per day, and the status mix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.reconcile.facts import STATUSES
from app.reconcile.grid import Grid

WIDTH, HEIGHT, PAD, LEFT = 760, 220, 24, 56
MIX_HEIGHT = 60


@dataclass(frozen=True)
class Bar:
    """One rectangle and what its tooltip says: a day's amount, or a status's count."""

    x: float
    y: float
    w: float
    h: float
    css: str
    day: date
    amount: Decimal | None = None  # a POS or Fortnox bar
    status: str = ""  # a piece of the status strip...
    count: int = 0  # ...and how many store-days it stands for

    def __post_init__(self) -> None:
        # The geometry to a tenth, as the SVG prints it.
        for name in ("x", "y", "w", "h"):
            object.__setattr__(self, name, round(getattr(self, name), 1))


@dataclass(frozen=True)
class Chart:
    """Everything the template draws."""

    width: int
    height: int
    bars: list[Bar]
    mix: list[Bar]
    ticks: list[tuple[float, Decimal]]  # y, amount (written in the reader's locale)
    labels: list[tuple[float, str]]  # x, day number
    top: Decimal
    left: int = LEFT


def _nice(value: Decimal) -> Decimal:
    """A round upper bound for the axis."""
    if value <= 0:
        return Decimal(1)
    step = Decimal(10) ** (len(str(int(value))) - 1)
    return ((value / step).to_integral_value(rounding="ROUND_CEILING")) * step


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
            left, width = x + 1 + j * (slot - 2) / 2, (slot - 2) / 2
            bars.append(Bar(left, HEIGHT - PAD - h, width, h, series, day, amount=amount))
        counts = grid.mix.get(day, {})
        total = sum(counts.values())
        y = HEIGHT + 8
        for status in reversed(STATUSES):
            n = counts.get(status, 0)
            if not n:
                continue
            h = MIX_HEIGHT * n / total
            mix.append(Bar(x + 1, y, slot - 2, h, f"st-{status}", day, status=status, count=n))
            y += h
        if i == 0 or (i + 1) % 5 == 0:
            labels.append((round(x + slot / 2, 1), str(day.day)))
    ticks = [(HEIGHT - PAD - plot * k / 4, top * k / 4) for k in range(5)]
    return Chart(WIDTH, HEIGHT + MIX_HEIGHT + 16, bars, mix, ticks, labels, top)
