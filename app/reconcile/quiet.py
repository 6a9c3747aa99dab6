"""Registers whose Z-chain cannot break in a period, told from two aggregate queries.

The month board reads every register's chain on every view. Reading each Z-report through
app/evidence costs per closure, so a register is first summed up in SQL: without grand totals,
only a gap or a Z sent twice can break its chain, and each Z once, in a row from the one before
the period, rules both out. Only the other registers' stores are read Z by Z (breaks.chain); any
doubt (a grand total, a repeat, a hole, numbers out of order) sends a register that way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import distinct, func
from sqlmodel import Session, col, select

from app.closures.models import Closure

Register = tuple[str, str]  # store, register


def _of(company_id: int, stores: set[str] | None, *columns: Any) -> Any:
    """Per register, columns over the company's newest revisions (the visible stores' only)."""
    newest = (Closure.company_id == company_id, col(Closure.is_latest).is_(True))
    query = select(*columns).where(*newest)
    if stores is not None:
        query = query.where(col(Closure.store_code).in_(sorted(stores)))
    return query.group_by(col(Closure.store_code), col(Closure.register_id))


def quiet(
    session: Session, company_id: int, lo: date, hi: date, stores: Iterable[str] | None = None
) -> dict[Register, tuple[int, int] | None]:
    """Each register with Z-reports in [lo, hi]: its first and last Z if its chain cannot break
    there, else None (read it Z by Z)."""
    stores = None if stores is None else set(stores)
    z = col(Closure.z_number)
    during = _of(
        company_id,
        stores,
        Closure.store_code,
        Closure.register_id,
        func.min(z),
        func.max(z),
        func.count(),
        func.count(distinct(z)),
        func.count(col(Closure.grand_total_sales)),
    ).where(col(Closure.business_date).between(lo, hi))
    run = session.connection().execute
    found = {(s, r): rest for s, r, *rest in run(during)}
    if not found:
        return {}
    before = _of(company_id, stores, Closure.store_code, Closure.register_id, func.max(z))
    last = {(s, r): n for s, r, n in run(before.where(col(Closure.business_date) < lo))}
    out: dict[Register, tuple[int, int] | None] = {}
    for key, (first, final, n, once, totals) in found.items():
        prior = last.get(key)
        calm = totals == 0 and n == once == final - first + 1 and prior in (None, first - 1)
        out[key] = (first, final) if calm else None
    return out
