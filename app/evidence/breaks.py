"""The Z-chain breaks of a company's registers over a period, and accountants' explanations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from app.audit.service import record
from app.auth.models import User
from app.closures.models import Closure
from app.evidence.chain import Break, Link, content_of, day_totals, find_breaks
from app.evidence.models import ChainExplanation


@dataclass(frozen=True)
class Explained:
    """An accountant's word that a break is in order."""

    by: str
    at: datetime
    comment: str

    def to_json(self) -> dict:
        """A JSON-ready form for the API."""
        return {"by": self.by, "at": self.at.isoformat(), "comment": self.comment}


@dataclass(frozen=True)
class Finding:
    """A break and, once an accountant explained it, why it is in order."""

    brk: Break
    explained: Explained | None = None

    def to_json(self) -> dict:
        """The break as GET /api/v1/reconciliation lists it."""
        said = self.explained.to_json() if self.explained else None
        return {**self.brk.to_json(), "explained": said}


_COLUMNS = (
    Closure.store_code,
    Closure.register_id,
    Closure.z_number,
    Closure.business_date,
    Closure.closure_id,
    Closure.payload_hash,
    Closure.grand_total_sales,
    Closure.grand_total_returns,
    # A Z's own lines only count against grand totals: without them, no JSON to read.
    case((col(Closure.grand_total_sales).is_not(None), Closure.payload["sales"]), else_=None),
)


def _latest(company_id: int, stores: Iterable[str] | None) -> Any:
    """The newest revision of each of the company's closures (the visible stores' only)."""
    query = select(*_COLUMNS).where(
        Closure.company_id == company_id,
        col(Closure.is_latest).is_(True),
    )
    if stores is not None:
        query = query.where(col(Closure.store_code).in_(sorted(stores)))
    return query


def _link(row: Any) -> Link:
    """A chain link from a closure's columns (content stands in as the payload hash)."""
    store, register, z, day, closure_id, digest, gt_sales, gt_returns, sales = row
    sold, returned = day_totals(sales or [])
    return Link(store, register, z, day, closure_id, digest, sold, returned, gt_sales, gt_returns)


def links(
    session: Session, company_id: int, lo: date, hi: date, stores: Iterable[str] | None = None
) -> list[Link]:
    """Every register's Z-reports of [lo, hi], with the last one before lo to chain from."""
    stores = None if stores is None else set(stores)
    run = session.connection().execute  # plain rows: the month board reads this on every view
    during = _latest(company_id, stores).where(col(Closure.business_date).between(lo, hi))
    found = [_link(r) for r in run(during)]
    if not found:
        return []
    # The highest Z of each register before lo (ties too: a Z sent twice), in one scan.
    rank = func.rank().over(
        partition_by=(Closure.store_code, Closure.register_id),
        order_by=col(Closure.z_number).desc(),
    )
    earlier = (
        select(Closure.id, rank.label("rank"))
        .where(
            Closure.company_id == company_id,
            col(Closure.is_latest).is_(True),
            col(Closure.business_date) < lo,
        )
        .subquery()
    )
    last = _latest(company_id, stores).where(
        col(Closure.id).in_(select(earlier.c.id).where(earlier.c.rank == 1))
    )
    registers = {(k.store, k.register) for k in found}
    found += [k for k in map(_link, run(last)) if (k.store, k.register) in registers]
    return _with_content(session, company_id, found)


def _with_content(session: Session, company_id: int, found: list[Link]) -> list[Link]:
    """Links whose Z number came under two closure ids, compared by what they say."""
    ids: dict[tuple[str, str, int], set[str]] = {}
    for k in found:
        ids.setdefault((k.store, k.register, k.z), set()).add(k.closure_id)
    twice = {cid for same in ids.values() if len(same) > 1 for cid in same}
    if not twice:
        return found
    payloads = session.exec(
        select(Closure.closure_id, Closure.payload).where(
            Closure.company_id == company_id,
            col(Closure.is_latest).is_(True),
            col(Closure.closure_id).in_(sorted(twice)),
        )
    ).all()
    said = {cid: content_of(payload) for cid, payload in payloads}
    return [replace(k, content=said[k.closure_id]) if k.closure_id in said else k for k in found]


def chain(
    session: Session, company_id: int, lo: date, hi: date, stores: Iterable[str] | None = None
) -> tuple[list[Link], list[Finding]]:
    """The registers' Z-reports and the breaks whose later Z falls in [lo, hi], explained or not."""
    read = links(session, company_id, lo, hi, stores)
    breaks = [b for b in find_breaks(read, since=lo) if b.day <= hi]
    said = explanations(session, company_id, [b.key for b in breaks])
    return read, [Finding(b, said.get(b.key)) for b in breaks]


def findings(
    session: Session, company_id: int, lo: date, hi: date, stores: Iterable[str] | None = None
) -> list[Finding]:
    """The breaks whose later Z-report falls in [lo, hi], each with its explanation if any."""
    return chain(session, company_id, lo, hi, stores)[1]


def explanations(session: Session, company_id: int, keys: list[str]) -> dict[str, Explained]:
    """The latest explanation of each break key that has one."""
    if not keys:
        return {}
    query = (
        select(ChainExplanation, User)
        .join(User, col(User.id) == ChainExplanation.user_id, isouter=True)
        .where(ChainExplanation.company_id == company_id, col(ChainExplanation.key).in_(keys))
        .order_by(col(ChainExplanation.at), col(ChainExplanation.id))
    )
    out = {}
    for row, user in session.exec(query).all():
        by = (user.name or user.email) if user else "—"
        out[row.key] = Explained(by, row.at, row.comment)
    return out


def explain(
    session: Session, *, company_id: int, brk: Break, comment: str, user: Any
) -> ChainExplanation:
    """File an accountant's explanation of a break, in the audit trail too (caller commits)."""
    row = ChainExplanation(
        company_id=company_id,
        key=brk.key,
        store_code=brk.store,
        register_id=brk.register,
        kind=brk.kind,
        amount=brk.amount,
        comment=comment,
        user_id=getattr(user, "id", None),
    )
    session.add(row)
    amount = None if brk.amount is None else f"{brk.amount:.2f}"
    record(
        session,
        action="evidence.break_explained",
        company_id=company_id,
        user=user,
        target=f"zchain:{brk.key}",
        detail={"kind": brk.kind, "store": brk.store, "amount": amount, "comment": comment},
    )
    return row
