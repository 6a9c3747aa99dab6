"""What the closure pages show: the latest revisions, one closure, its revisions, its sums."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session, func, select

from app.auth.scoping import only_stores
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


def list_latest(
    session: Session,
    company: Company,
    *,
    visible: set[int] | None,
    store_pk: int | None = None,
    state: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """A page of the latest revision of each closure, newest business day first, with its store."""
    query = (
        select(Closure, Store)
        .join(Store, Store.id == Closure.store_pk, isouter=True)
        .where(Closure.company_id == company.id, Closure.is_latest.is_(True))  # type: ignore[attr-defined]
    )
    query = only_stores(query, Closure.store_pk, visible)
    if store_pk is not None:
        query = query.where(Closure.store_pk == store_pk)
    if state:
        query = query.where(Closure.state == state)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    number = min(max(page, 1), page_count(total, per_page))
    order = (Closure.business_date.desc(), Closure.store_code, Closure.z_number.desc())  # type: ignore[attr-defined]
    query = query.order_by(*order).offset((number - 1) * per_page).limit(per_page)
    return Page([(c, s) for c, s in session.exec(query).all()], number, total, per_page)


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


def _sum(lines: list[dict[str, Any]], field: str = "amount") -> Decimal:
    return sum((Decimal(line.get(field, "0")) for line in lines), Decimal("0.00"))


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
        "gross": _sum(payload["sales"], "gross"),
        "net": _sum(payload["sales"], "net"),
        "vat": _sum(payload["sales"], "vat"),
        "paid": _sum(payload["payments"]),
        "gift_cards_sold": _sum(payload.get("gift_cards_sold", [])),
        "rounding": Decimal(payload.get("rounding", "0")),
        "cash_count": {k: Decimal(v) for k, v in count.items()} if count else None,
        "invoice_sales": payload.get("invoice_sales", []),
    }
