"""The period's vouchers as Kassabok posted them, gathered for an SIE 4 file."""

from __future__ import annotations

import logging
from datetime import date

from sqlmodel import Session, col, select

from app.companies.models import Company, Store
from app.evidence.sie import SieBook, SieVoucher
from app.fortnox import api
from app.fortnox.chart import load_chart
from app.fortnox.errors import FortnoxError
from app.reconcile import cache
from app.reconcile.models import FortnoxVoucher, FortnoxVoucherRow

log = logging.getLogger(__name__)


def _read_missing(session: Session, company: Company, lo: date, hi: date) -> None:
    """Read from Fortnox the vouchers Kassabok recorded that the cache lacks (when it can)."""
    try:
        with api.client_for(session, company.id or 0) as client:
            cache.check_recorded(session, client, company.id or 0, lo, hi)
    except FortnoxError:
        # The export still serves what the cache holds; the page says how many it has.
        log.info("SIE export for company %s from the cache only", company.id, exc_info=True)


def vouchers(session: Session, company_id: int, lo: date, hi: date) -> list[SieVoucher]:
    """Kassabok's vouchers (its key in the text, reversals too) dated in [lo, hi], by number."""
    held = session.exec(
        select(FortnoxVoucher)
        .where(
            FortnoxVoucher.company_id == company_id,
            col(FortnoxVoucher.key).startswith("KB:"),
            col(FortnoxVoucher.transaction_date).between(lo, hi),
            col(FortnoxVoucher.missing).is_(False),
            col(FortnoxVoucher.rows_fetched).is_(True),
        )
        .order_by(col(FortnoxVoucher.year), col(FortnoxVoucher.series), col(FortnoxVoucher.number))
    ).all()
    rows: dict[int, list[tuple[str, str, object]]] = {}
    query = select(FortnoxVoucherRow).where(
        col(FortnoxVoucherRow.voucher_id).in_([v.id for v in held])
    )
    for r in session.exec(query.order_by(col(FortnoxVoucherRow.id))).all():
        rows.setdefault(r.voucher_id, []).append((r.account, r.cost_center, r.debit - r.credit))
    return [
        SieVoucher(v.series, v.number, v.transaction_date, v.description, tuple(rows[v.id or 0]))
        for v in held
        if rows.get(v.id or 0)
    ]


def _year(session: Session, company_id: int, day: date) -> tuple[date, date]:
    """The financial year covering day as the cache knows it, else the calendar year."""
    for year in cache.cursor_for(session, company_id).years:
        start, end = date.fromisoformat(year["FromDate"]), date.fromisoformat(year["ToDate"])
        if start <= day <= end:
            return start, end
    return date(day.year, 1, 1), date(day.year, 12, 31)


def book(session: Session, company: Company, lo: date, hi: date, *, read: bool = True) -> SieBook:
    """The period's SIE book: Kassabok's vouchers, the accounts' and cost centers' names."""
    company_id = company.id or 0
    if read:
        _read_missing(session, company, lo, hi)
    chart = load_chart(session, company)
    stores = session.exec(select(Store).where(Store.company_id == company_id)).all()
    return SieBook(
        company=company.name,
        orgnr=company.orgnr,
        year=_year(session, company_id, lo),
        generated=date.today(),
        vouchers=tuple(vouchers(session, company_id, lo, hi)),
        accounts={n: a.description for n, a in (chart.accounts or {}).items()},
        cost_centers={s.cost_center: s.name for s in stores if s.cost_center},
    )
