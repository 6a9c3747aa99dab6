"""The month grid: stores × days, each cell's status, from five queries whatever the size."""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from app.closures.models import Closure
from app.companies.models import Company, Store
from app.reconcile.facts import STATE_STATUS, STATUSES, ZERO, worst
from app.reconcile.models import ClosureCheck, Review, StoreDayCheck


@dataclass
class Cell:
    """One store on one day."""

    store_code: str
    day: date
    status: str = "none"
    closures: int = 0
    reviewed: bool = False
    differs: bool = False
    pos_total: Decimal = ZERO
    fortnox_total: Decimal = ZERO


@dataclass
class Grid:
    """A month of cells, the legend's counts and the chart's series."""

    month: date
    days: list[date]
    stores: list[tuple[str, str, int | None]]  # code, name, pk
    cells: dict[tuple[str, date], Cell] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    pos: dict[date, Decimal] = field(default_factory=dict)
    fortnox: dict[date, Decimal] = field(default_factory=dict)
    mix: dict[date, Counter] = field(default_factory=dict)

    def cell(self, code: str, day: date) -> Cell:
        """The cell of a store and day (an empty one when there is no closure)."""
        return self.cells.get((code, day)) or Cell(code, day)


def month_days(month: date) -> list[date]:
    """Every day of the month of month."""
    last = calendar.monthrange(month.year, month.month)[1]
    return [date(month.year, month.month, d) for d in range(1, last + 1)]


def closure_status(state: str, hold_code: str, check: tuple[str, int] | None, version: int) -> str:
    """A closure's status: the last check while its state is unchanged, else its state's."""
    if hold_code == "correction_due":
        return "superseded"
    if check is not None and check[1] == version:
        return check[0]
    return STATE_STATUS.get(state, "pending")


def month_grid(session: Session, company: Company, visible: set[int] | None, month: date) -> Grid:
    """Stores × days of month with each cell's status, counts and the day totals."""
    days = month_days(month)
    lo, hi = days[0], days[-1]
    query = select(Store).where(Store.company_id == company.id).order_by(Store.store_id)
    if visible is not None:
        query = query.where(col(Store.id).in_(sorted(visible)))
    stores = [(s.store_id, s.name, s.id) for s in session.exec(query)]
    grid = Grid(month=lo, days=days, stores=stores)
    closures = select(
        Closure.id,
        Closure.store_code,
        Closure.store_pk,
        Closure.business_date,
        Closure.state,
        Closure.hold_code,
        Closure.state_version,
    ).where(
        Closure.company_id == company.id,
        col(Closure.is_latest).is_(True),
        col(Closure.business_date).between(lo, hi),
    )
    if visible is not None:
        closures = closures.where(col(Closure.store_pk).in_(sorted(visible)))
    checks = {
        pk: (status, version)
        for pk, status, version in session.exec(
            select(ClosureCheck.closure_pk, ClosureCheck.status, ClosureCheck.state_version).where(
                ClosureCheck.company_id == company.id,
                col(ClosureCheck.business_date).between(lo, hi),
            )
        )
    }
    statuses: dict[tuple[str, date], list[str]] = defaultdict(list)
    for pk, code, _spk, day, state, hold, version in session.exec(closures):
        statuses[(code, day)].append(closure_status(state, hold, checks.get(pk), version))
    known = {code for code, _n, _pk in stores}
    for code in sorted({code for code, _d in statuses} - known):
        if visible is None:  # a closure from a store not set up yet still gets a row
            grid.stores.append((code, code, None))
    day_checks = session.exec(
        select(StoreDayCheck).where(
            StoreDayCheck.company_id == company.id,
            col(StoreDayCheck.business_date).between(lo, hi),
        )
    ).all()
    by_day = {(d.store_code, d.business_date): d for d in day_checks}
    reviews = session.exec(
        select(Review.store_code, Review.business_date).where(
            Review.company_id == company.id, col(Review.business_date).between(lo, hi)
        )
    ).all()
    reviewed = {(code, day) for code, day in reviews}
    for (code, day), found in statuses.items():
        check = by_day.get((code, day))
        differs = bool(check and check.differs)
        status = worst(found) or "none"
        if differs and status == "matched":
            # As in day.py: other amounts only turn an otherwise matched day into a mismatch.
            status = "mismatch"
        cell = Cell(code, day, status, len(found), (code, day) in reviewed, differs)
        if check is not None:
            cell.pos_total, cell.fortnox_total = check.pos_total, check.fortnox_total
        grid.cells[(code, day)] = cell
        grid.counts[status] += 1
        grid.pos[day] = grid.pos.get(day, ZERO) + cell.pos_total
        grid.fortnox[day] = grid.fortnox.get(day, ZERO) + cell.fortnox_total
        grid.mix.setdefault(day, Counter())[status] += 1
    for status in STATUSES:
        grid.counts.setdefault(status, 0)
    return grid
