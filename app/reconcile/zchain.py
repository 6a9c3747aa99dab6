"""The Z-chain's breaks where the month board shows them (app/evidence finds them).

On the store-day's cell, counted in the legend, as a compact strip per register under the grid,
in the day's panel and, unexplained, in the overview's needs-attention list: a break is never
silent. The chain page (evidence.chain) tells what each one means and takes explanations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session, col, select

from app.companies.models import Store
from app.evidence import breaks
from app.evidence.breaks import Finding
from app.evidence.chain import Break, Link
from app.evidence.strips import Cell, Strip, strips
from app.evidence.texts import KIND_TEXT, anchor, explain, numbers
from app.reconcile.counts import Attention
from app.reconcile.grid import Grid, shift
from app.reconcile.overview import FigureRow
from app.reconcile.quiet import quiet

STATUS = "chain_break"  # the overview's status of a store-day with an unexplained break
SINCE = 2  # months before this one the overview looks at; older breaks show on their month


@dataclass(frozen=True)
class Mark:
    """One break as a store-day shows it: what it is, where the chain page tells more."""

    finding: Finding
    words: str  # "Z-chain: Z missing Z105", for screen readers and as the marker's tooltip
    href: str

    @property
    def brk(self) -> Break:
        """The break."""
        return self.finding.brk

    @property
    def explained(self) -> bool:
        """True once an accountant explained the break."""
        return self.finding.explained is not None

    @property
    def meaning(self) -> str:
        """What the break means, as the chain page says it."""
        return explain(self.finding.brk)


@dataclass(frozen=True)
class Segment:
    """A piece of a register's strip: a run of Z numbers in order, or a break."""

    label: str  # Z4100–Z4130, or the break's Z numbers
    marks: tuple[Mark, ...] = ()  # none for an unbroken run

    @property
    def kinds(self) -> str:
        """What the breaks are, in words: Z missing, Grand total jump."""
        return ", ".join(dict.fromkeys(str(KIND_TEXT[m.brk.kind]) for m in self.marks))

    @property
    def explained(self) -> bool:
        """True for a break every part of which was explained."""
        return bool(self.marks) and all(m.explained for m in self.marks)


@dataclass(frozen=True)
class Register:
    """One register's month on the board's strip."""

    store: str
    register: str
    segments: tuple[Segment, ...]

    @property
    def broken(self) -> bool:
        """True when any break shows on the strip."""
        return any(s.marks for s in self.segments)


@dataclass
class MonthChain:
    """The month's breaks for the board: per store-day, per register, counted."""

    url: str  # the chain page of the month
    marks: list[Mark] = field(default_factory=list)
    registers: list[Register] = field(default_factory=list)

    @property
    def open(self) -> int:
        """Breaks nobody explained yet."""
        return sum(not m.explained for m in self.marks)

    def at(self) -> dict[tuple[str, date], list[Mark]]:
        """The marks of each store-day (the day of a break's later Z-report)."""
        out: dict[tuple[str, date], list[Mark]] = defaultdict(list)
        for m in self.marks:
            out[m.brk.store, m.brk.day].append(m)
        return out

    def summary(self, registers: list[Register]) -> str:
        """One line on the breaks of the registers shown."""
        found = [m for r in registers for s in r.segments for m in s.marks]
        if not found:
            return _("Z-chain: no breaks this month")
        said = ngettext("Z-chain: %(num)d break this month", "Z-chain: %(num)d breaks this month",
                        len(found))  # fmt: skip
        done = sum(m.explained for m in found)
        if not done:
            return said
        return said + ngettext(", %(num)d of them explained", ", %(num)d of them explained", done)


def _mark(finding: Finding, page: str) -> Mark:
    """A finding with its words and its row on the chain page."""
    brk = finding.brk
    words = {"kind": KIND_TEXT[brk.kind], "z": numbers(brk)}
    said = _("Z-chain, explained: %(kind)s %(z)s", **words) if finding.explained else None
    return Mark(finding, said or _("Z-chain: %(kind)s %(z)s", **words), f"{page}#{anchor(brk)}")


def _at(cell: Cell, mine: list[Mark]) -> list[Mark]:
    """The breaks a strip's cell stands for: its missing Z numbers, or the marks on its Z."""
    if cell.gap:
        return [m for m in mine if m.brk.kind == "z_gap" and m.brk.z_numbers[0] == cell.numbers[0]]
    z = cell.numbers[0]
    return [m for m in mine if m.brk.kind in cell.marks and m.brk.z_numbers[-1] == z]


def _segments(strip: Strip, mine: list[Mark]) -> tuple[Segment, ...]:
    """A strip's unbroken runs folded into one piece each; each break a piece of its own."""
    out: list[Segment] = []
    run: list[int] = []

    def close() -> None:
        if run:
            out.append(Segment(f"Z{run[0]}–Z{run[-1]}" if len(run) > 1 else f"Z{run[0]}"))
            run.clear()

    for cell in strip.cells:
        at = _at(cell, mine)
        if not at:
            run.append(cell.numbers[0])
            continue
        close()
        label = numbers(at[0].brk) if cell.gap else f"Z{cell.numbers[0]}"
        out.append(Segment(label, tuple(at)))
    close()
    return tuple(out)


def read(
    session: Session, company_id: int, lo: date, hi: date, stores: set[str] | None
) -> tuple[dict[tuple[str, str], tuple[int, int]], list[Link], list[Finding]]:
    """Registers that cannot break in [lo, hi] (first, last Z), and the others' links and breaks.

    The others are read through app/evidence, store by store; see app/reconcile/quiet.py.
    """
    summed = quiet(session, company_id, lo, hi, stores)
    loud = {store for (store, _r), calm in summed.items() if calm is None}
    links, found = breaks.chain(session, company_id, lo, hi, loud) if loud else ([], [])
    calm = {k: v for k, v in summed.items() if v is not None and k[0] not in loud}
    return calm, links, found


def month_chain(
    session: Session, company_id: int, grid: Grid, visible: set[int] | None
) -> MonthChain:
    """The breaks of the grid's days in the stores it shows: one read of the chain per board."""
    lo, hi = grid.days[0], grid.days[-1]
    stores = None if visible is None else {code for code, _n, _pk in grid.stores}
    calm, links, found = read(session, company_id, lo, hi, stores)
    page = url_for("evidence.chain", company_id=company_id, month=lo.strftime("%Y-%m"))
    chain = MonthChain(page, [_mark(f, page) for f in found])
    for strip in strips(links, found, lo):
        key = (strip.store, strip.register)
        mine = [m for m in chain.marks if (m.brk.store, m.brk.register) == key]
        chain.registers.append(Register(strip.store, strip.register, _segments(strip, mine)))
    for (store, register), (first, last) in calm.items():
        run = Segment(f"Z{first}–Z{last}" if last > first else f"Z{first}")
        chain.registers.append(Register(store, register, (run,)))
    chain.registers.sort(key=lambda r: (r.store, r.register))
    return chain


def board(chain: MonthChain, store: str) -> dict[str, Any]:
    """The strips the board shows (the store filter's, or all), broken registers apart."""
    shown = [r for r in chain.registers if not store or r.store == store]
    return {
        "broken": [r for r in shown if r.broken],
        "unbroken": [r for r in shown if not r.broken],
        "summary": chain.summary(shown),
    }


def day_marks(session: Session, company_id: int, store_code: str, day: date) -> list[Mark]:
    """The breaks on one store-day, for the day's panel (each with what it means)."""
    found = breaks.findings(session, company_id, day, day, [store_code])
    page = url_for("evidence.chain", company_id=company_id, month=day.strftime("%Y-%m"))
    return [_mark(f, page) for f in found]


def chain_breaks(session: Session, rows: list[FigureRow]) -> None:
    """Unexplained breaks of this month and the SINCE before it, as store-days needing someone.

    An overview contributor, registered after reconcile_figures (app/reconcile/views.py), which
    sets row.attention: these are added to it.
    """
    today = date.today()
    lo, hi = shift(today.replace(day=1), -SINCE), today
    limited = {row.company.id: row.visible for row in rows if row.visible is not None}
    codes: dict[int | None, set[str]] = defaultdict(set)
    if limited:
        query = select(Store.company_id, Store.id, Store.store_id)
        for cid, pk, code in session.exec(query.where(col(Store.company_id).in_(sorted(limited)))):
            if pk in (limited[cid] or ()):
                codes[cid].add(code)
    for row in rows:
        cid = row.company.id or 0
        stores = None if row.visible is None else codes[row.company.id]
        if stores is not None and not stores:
            continue
        open_ = [f for f in read(session, cid, lo, hi, stores)[2] if f.explained is None]
        if not open_:
            continue
        row.counts[STATUS] = len(open_)
        days = sorted({(f.brk.day, f.brk.store) for f in open_})
        row.attention = sorted(
            [*row.attention, *(Attention(cid, store, day, STATUS) for day, store in days)],
            key=lambda a: (a.day, a.store_code),
        )
