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
from app.reconcile.counts import cell_status, closure_status, with_status
from app.reconcile.facts import STATUSES, ZERO
from app.reconcile.models import StoreDayCheck
from app.reconcile.reviews import reviewed_days


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

    def row(self, code: str) -> list[Cell]:
        """A store's cells, one per day."""
        return [self.cell(code, day) for day in self.days]


def parse_month(text: str | None) -> date:
    """The first day of YYYY-MM, or of this month when absent or malformed."""
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return date.today().replace(day=1)


def shift(month: date, by: int) -> date:
    """The first day of the month `by` months away."""
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def month_days(month: date) -> list[date]:
    """Every day of the month of month."""
    last = calendar.monthrange(month.year, month.month)[1]
    return [date(month.year, month.month, d) for d in range(1, last + 1)]


def month_grid(session: Session, company: Company, visible: set[int] | None, month: date) -> Grid:
    """Stores × days of month with each cell's status, counts and the day totals."""
    return days_grid(session, company, visible, month_days(month))


def days_grid(
    session: Session, company: Company, visible: set[int] | None, days: list[date]
) -> Grid:
    """Stores × the consecutive days with each cell's status, counts and the day totals."""
    lo, hi = days[0], days[-1]
    query = select(Store.store_id, Store.name, Store.id).where(Store.company_id == company.id)
    if visible is not None:
        query = query.where(col(Store.id).in_(sorted(visible)))
    stores = [(code, name, pk) for code, name, pk in session.exec(query.order_by(Store.store_id))]
    grid = Grid(month=lo, days=days, stores=stores)
    closures = with_status(Closure.store_code, Closure.business_date).where(
        Closure.company_id == company.id,
        col(Closure.is_latest).is_(True),
        col(Closure.business_date).between(lo, hi),
    )
    if visible is not None:
        closures = closures.where(col(Closure.store_pk).in_(sorted(visible)))
    # Plain columns by the thousand: Core rows, which the ORM would only slow down.
    run = session.connection().execute
    statuses: dict[tuple[str, date], list[str]] = defaultdict(list)
    for code, day, state, hold, version, checked, checked_version in run(closures):
        check = None if checked is None else (checked, checked_version)
        statuses[(code, day)].append(closure_status(state, hold, check, version))
    known = {code for code, _n, _pk in stores}
    for code in sorted({code for code, _d in statuses} - known):
        if visible is None:  # a closure from a store not set up yet still gets a row
            grid.stores.append((code, code, None))
    day_checks = select(
        StoreDayCheck.store_code,
        StoreDayCheck.business_date,
        StoreDayCheck.differs,
        StoreDayCheck.pos_total,
        StoreDayCheck.fortnox_total,
    ).where(
        StoreDayCheck.company_id == company.id,
        col(StoreDayCheck.business_date).between(lo, hi),
    )
    by_day = {
        (code, day): (bool(differs), pos, fx) for code, day, differs, pos, fx in run(day_checks)
    }
    # Days whose latest review still holds (saw the differences the day has now): reviews.py
    found_reviews = reviewed_days(session, [company.id or 0], lo, hi)
    reviewed = {(code, day) for _cid, code, day in found_reviews}
    mix: Counter = Counter()
    for key, found in statuses.items():
        code, day = key
        differs, pos, fortnox = by_day.get(key) or (False, ZERO, ZERO)
        status = cell_status(found, differs, key in reviewed)  # as the overview counts (counts.py)
        grid.cells[key] = Cell(
            code, day, status, len(found), key in reviewed, differs, pos, fortnox
        )
        grid.pos[day] = grid.pos.get(day, ZERO) + pos
        grid.fortnox[day] = grid.fortnox.get(day, ZERO) + fortnox
        mix[(day, status)] += 1
    for (day, status), n in mix.items():
        grid.mix.setdefault(day, Counter())[status] = n
        grid.counts[status] += n
    for status in STATUSES:
        grid.counts.setdefault(status, 0)
    return grid
