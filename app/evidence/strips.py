"""A register's Z-chain as a strip: each Z of the month in order, a gap where some are missing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from app.evidence.breaks import Finding
from app.evidence.chain import Link


@dataclass(frozen=True)
class Cell:
    """One place on a strip: a Z-report that arrived, or the Z numbers missing before the next."""

    numbers: tuple[int, ...]
    day: date | None = None
    marks: tuple[str, ...] = ()  # the breaks that show at this Z: kinds, e.g. grand_total_jump
    missing: int = 0  # a gap: how many Z numbers are missing (numbers lists the first ones)

    @property
    def gap(self) -> bool:
        """True for missing Z numbers."""
        return self.missing > 0


@dataclass(frozen=True)
class Strip:
    """One register's month."""

    store: str
    register: str
    cells: tuple[Cell, ...]

    @property
    def broken(self) -> bool:
        """True when any break shows on the strip."""
        return any(c.gap or c.marks for c in self.cells)


def strips(links: list[Link], found: list[Finding], lo: date) -> list[Strip]:
    """A strip per register with a Z-report in the period, in store and register order."""
    registers: dict[tuple[str, str], dict[int, date]] = defaultdict(dict)
    for link in links:
        if link.day >= lo:
            registers[link.store, link.register].setdefault(link.z, link.day)
    out = []
    for (store, register), days in sorted(registers.items()):
        mine = [f.brk for f in found if (f.brk.store, f.brk.register) == (store, register)]
        gaps = {b.z_numbers[0] + b.missing: b for b in mine if b.kind == "z_gap"}
        cells: list[Cell] = []
        for z in sorted(days):
            if z in gaps:
                cells.append(Cell(gaps[z].z_numbers, missing=gaps[z].missing))
            marks = tuple(b.kind for b in mine if b.kind != "z_gap" and b.z_numbers[-1] == z)
            cells.append(Cell((z,), days[z], marks))
        out.append(Strip(store, register, tuple(cells)))
    return out
