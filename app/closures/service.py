"""What the closure pages show: the latest revisions, one closure, its revisions, its sums."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from app.auth.scoping import only_stores
from app.closures import figures, statuses
from app.closures.filters import ListFilters
from app.closures.models import Closure
from app.companies.models import Company, Store

PER_PAGE = 50


def page_count(total: int, per_page: int) -> int:
    """How many pages total rows fill, at least one."""
    return max(1, -(-total // per_page))


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, which page it is and how many rows the list has."""

    rows: list[tuple[Closure, Store | None]]
    number: int
    total: int
    per_page: int = PER_PAGE
    statuses: dict[int, str] = field(default_factory=dict)  # the board's status per closure

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one)."""
        return page_count(self.total, self.per_page)

    @property
    def first(self) -> int:
        """The position of the page's first row in the list, from 1."""
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        """The position of the page's last row in the list."""
        return self.first + len(self.rows) - 1 if self.rows else 0


# Newest business day first.
ORDER = (Closure.business_date.desc(), Closure.store_code, Closure.z_number.desc(), Closure.id)  # type: ignore[attr-defined]


def _search(text: str) -> Any:
    """Closures whose store, register, Z number or closure id the text names."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    columns = (Closure.closure_id, Closure.store_code, Closure.register_id, Store.name)
    found = [col(column).ilike(f"%{escaped}%", escape="\\") for column in columns]
    z_number = text.upper().removeprefix("Z")
    if z_number.isdigit() and len(z_number) < 10:
        found.append(Closure.z_number == int(z_number))
    return or_(*found)


def _filtered(company: Company, visible: set[int] | None, f: ListFilters) -> Any:
    """The latest revisions of the company's closures that the filters let through."""
    query = (
        select(Closure, Store)
        .join(Store, Store.id == Closure.store_pk, isouter=True)
        .where(Closure.company_id == company.id, Closure.is_latest.is_(True))  # type: ignore[attr-defined]
    )
    query = only_stores(query, Closure.store_pk, visible)
    if f.store_pk is not None:
        query = query.where(Closure.store_pk == f.store_pk)
    if f.state:
        query = query.where(Closure.state == f.state)
    if f.status == statuses.AWAITING:
        query = query.where(Closure.state == statuses.AWAITING)
    if f.q:
        query = query.where(_search(f.q))
    if f.start:
        query = query.where(Closure.business_date >= f.start)
    if f.end:
        query = query.where(Closure.business_date <= f.end)
    return query


def _by_ids(session: Session, ids: list[int]) -> list[tuple[Closure, Store | None]]:
    """The closures of ids with their stores, in the order of ids."""
    query = (
        select(Closure, Store)
        .join(Store, Store.id == Closure.store_pk, isouter=True)
        .where(col(Closure.id).in_(ids))
    )
    found = {c.id: (c, s) for c, s in session.exec(query).all()}
    return [found[pk] for pk in ids if pk in found]


def list_latest(
    session: Session,
    company: Company,
    *,
    visible: set[int] | None,
    filters: ListFilters | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """A page of the latest revision of each closure, newest business day first, with its store."""
    f = filters or ListFilters()
    query = _filtered(company, visible, f)
    if f.status and f.status != statuses.AWAITING:
        ids_query = query.with_only_columns(Closure.id)  # type: ignore[arg-type]
        ids = statuses.ids_with_status(session, ids_query, f.status, ORDER)
        number = min(max(page, 1), page_count(len(ids), per_page))
        rows = _by_ids(session, ids[(number - 1) * per_page : number * per_page])
        total = len(ids)
    else:
        total = session.exec(select(func.count()).select_from(query.subquery())).one()
        number = min(max(page, 1), page_count(total, per_page))
        query = query.order_by(*ORDER).offset((number - 1) * per_page).limit(per_page)
        rows = [(c, s) for c, s in session.exec(query).all()]
    found = statuses.statuses_of(session, [c.id or 0 for c, _s in rows])
    return Page(rows, number, total, per_page, found)


def all_latest(
    session: Session, company: Company, *, visible: set[int] | None, filters: ListFilters
) -> list[tuple[Closure, Store | None, str]]:
    """Every closure the filters let through, in the list's order, with its store and status."""
    query = _filtered(company, visible, filters)
    found = statuses.statuses_of(session, query.with_only_columns(Closure.id))  # type: ignore[arg-type]
    wanted = filters.status if filters.status != statuses.AWAITING else None
    rows = session.exec(query.order_by(*ORDER)).all()
    out = [(c, s, found.get(c.id or 0, "pending")) for c, s in rows]
    return [row for row in out if not wanted or row[2] == wanted]


def get_closure(
    session: Session, company: Company, pk: int, *, visible: set[int] | None
) -> Closure | None:
    """One closure revision of the company in a store the user may see, or None."""
    closure = session.get(Closure, pk)
    if closure is None or closure.company_id != company.id:
        return None
    if visible is not None and closure.store_pk not in visible:
        return None
    return closure


def revisions(session: Session, closure: Closure) -> list[Closure]:
    """Every revision of the same closure, newest first."""
    return list(
        session.exec(
            select(Closure)
            .where(Closure.company_id == closure.company_id)
            .where(Closure.closure_id == closure.closure_id)
            .order_by(Closure.revision.desc())  # type: ignore[attr-defined]
        ).all()
    )


def payload_summary(payload: dict[str, Any]) -> dict[str, Any]:
    """A stored (valid) closure's lines and totals, amounts as Decimal for the money filter."""
    sales = [
        {**line, **{k: Decimal(line[k]) for k in ("net", "vat", "gross")}}
        for line in payload["sales"]
    ]
    payments = [{**p, "amount": Decimal(p["amount"])} for p in payload["payments"]]
    count = payload.get("cash_count")
    return {
        "sales": sales,
        "payments": payments,
        "tips": [{**t, "amount": Decimal(t["amount"])} for t in payload.get("tips", [])],
        "gross": figures.total_of(payload["sales"], "gross"),
        "net": figures.total_of(payload["sales"], "net"),
        "vat": figures.total_of(payload["sales"], "vat"),
        "paid": figures.total_of(payload["payments"]),
        "gift_cards_sold": figures.total_of(payload.get("gift_cards_sold", [])),
        "rounding": Decimal(payload.get("rounding", "0")),
        "cash_count": {k: Decimal(v) for k, v in count.items()} if count else None,
        "cash_difference": figures.cash_difference(payload),
        "invoice_sales": payload.get("invoice_sales", []),
    }
