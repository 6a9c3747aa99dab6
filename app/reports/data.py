"""The closures a report covers: POS totals, Fortnox voucher and status per closure revision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from app.closures.models import Closure
from app.companies.models import Store
from app.reconcile.models import StoreDayCheck
from app.reconcile.report import closure_statuses
from app.reports.trail import N_

ZERO = Decimal("0.00")
STATUS_LABELS = {
    "matched": N_("matched"),
    "pending": N_("pending"),
    "reviewed": N_("reviewed"),  # a mismatch an accountant reviewed (app/reconcile/counts.py)
    "held": N_("held"),
    "failed": N_("failed"),
    "mismatch": N_("mismatch"),
    "missing": N_("missing"),
    "duplicate": N_("duplicate"),
    "superseded": N_("superseded"),
}
STATUSES = tuple(STATUS_LABELS)


@dataclass(frozen=True)
class Scope:
    """What a report covers: a company, a period of business dates, and stores (empty = all)."""

    company_id: int
    start: date
    end: date
    store_ids: tuple[int, ...] = ()


@dataclass
class ReportRow:
    """One closure revision as the report shows it."""

    pk: int
    closure_id: str
    revision: int
    is_latest: bool
    store_pk: int | None
    store_code: str
    register_id: str
    z_number: int
    business_date: date
    payload_hash: str
    state: str
    status: str
    reason: str
    voucher_series: str | None
    voucher_number: int | None
    voucher_year: int | None
    reversal: str
    mapping_version_id: int | None
    net: Decimal = ZERO
    vat: Decimal = ZERO
    gross: Decimal = ZERO
    paid: Decimal = ZERO
    by_rate: dict[str, tuple[Decimal, Decimal, Decimal]] = field(default_factory=dict)
    by_method: dict[str, Decimal] = field(default_factory=dict)

    @property
    def voucher(self) -> str:
        """The Fortnox voucher as series-number, or ''."""
        if self.voucher_number is None:
            return ""
        return f"{self.voucher_series}-{self.voucher_number}"


def closures_in(session: Session, scope: Scope) -> list[Closure]:
    """Every revision of every closure of the scope, by store, day, Z-number and revision."""
    query = select(Closure).where(
        Closure.company_id == scope.company_id,
        Closure.business_date >= scope.start,
        Closure.business_date <= scope.end,
    )
    if scope.store_ids:
        query = query.where(col(Closure.store_pk).in_(scope.store_ids))
    order = (Closure.store_code, Closure.business_date, Closure.z_number, Closure.revision)
    return list(session.exec(query.order_by(*order)).all())


def stores_of(session: Session, scope: Scope) -> list[Store]:
    """The stores of the scope, by POS store id."""
    query = select(Store).where(Store.company_id == scope.company_id)
    if scope.store_ids:
        query = query.where(col(Store.id).in_(scope.store_ids))
    return list(session.exec(query.order_by(Store.store_id)).all())


def store_days(session: Session, scope: Scope, codes: Iterable[str]) -> list[StoreDayCheck]:
    """The reconciliation's POS against Fortnox totals per store and day of the scope."""
    query = select(StoreDayCheck).where(
        StoreDayCheck.company_id == scope.company_id,
        col(StoreDayCheck.business_date).between(scope.start, scope.end),
    )
    if scope.store_ids:
        query = query.where(col(StoreDayCheck.store_code).in_(sorted(codes)))
    order = (StoreDayCheck.store_code, StoreDayCheck.business_date)
    return list(session.exec(query.order_by(*order)).all())


def report_rows(session: Session, scope: Scope) -> list[ReportRow]:
    """The scope's closure revisions with POS totals and their reconciliation status and reason."""
    rows = []
    closures = closures_in(session, scope)
    statuses = closure_statuses(session, closures)
    for closure in closures:
        status, reason = statuses[closure.id or 0]
        row = ReportRow(
            pk=closure.id or 0,
            closure_id=closure.closure_id,
            revision=closure.revision,
            is_latest=closure.is_latest,
            store_pk=closure.store_pk,
            store_code=closure.store_code,
            register_id=closure.register_id,
            z_number=closure.z_number,
            business_date=closure.business_date,
            payload_hash=closure.payload_hash,
            state=str(closure.state),
            status=status,
            reason=reason,
            voucher_series=closure.voucher_series,
            voucher_number=closure.voucher_number,
            voucher_year=closure.voucher_year,
            reversal=_reversal(closure),
            mapping_version_id=closure.mapping_version_id,
        )
        add_totals(row, closure.payload)
        rows.append(row)
    return rows


def _reversal(closure: Closure) -> str:
    """The reversal voucher of a corrected revision as series-number, or ''."""
    if closure.reversal_number is None:
        return ""
    return f"{closure.reversal_series}-{closure.reversal_number}"


def add_totals(row: ReportRow, payload: dict[str, Any]) -> None:
    """Sum the closure's sales per VAT rate and its payments per method onto row."""
    for sale in payload.get("sales") or []:
        net, vat, gross = (Decimal(str(sale.get(k, "0"))) for k in ("net", "vat", "gross"))
        rate = str(sale.get("vat_rate", ""))
        old = row.by_rate.get(rate, (ZERO, ZERO, ZERO))
        row.by_rate[rate] = (old[0] + net, old[1] + vat, old[2] + gross)
        row.net += net
        row.vat += vat
        row.gross += gross
    for payment in payload.get("payments") or []:
        amount = Decimal(str(payment.get("amount", "0")))
        method = str(payment.get("method", ""))
        row.by_method[method] = row.by_method.get(method, ZERO) + amount
        row.paid += amount


def latest(rows: Iterable[ReportRow]) -> list[ReportRow]:
    """Only the newest revision of each closure: the ones whose figures count."""
    return [row for row in rows if row.is_latest]
