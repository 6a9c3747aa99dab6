"""The duplicates scan: vouchers not made by Kassabok that book the stores' POS accounts."""

from __future__ import annotations

from contextlib import closing
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from app.companies.models import Company, Store
from app.fortnox import api
from app.mapping.models import MappingVersion
from app.reconcile.cache import check_recorded, cursor_for, sync_vouchers
from app.reconcile.facts import AUTOMATIC
from app.reconcile.models import FortnoxVoucher, FortnoxVoucherRow

ZERO = Decimal("0.00")


def pos_accounts(mapping: dict) -> set[str]:
    """The accounts a closure books: payment methods, sales and output VAT."""
    found: set[str] = set()
    for section in ("payment_methods", "sales", "vat"):
        found |= {str(a) for a in (mapping.get(section) or {}).values()}
    return found


def overlaps(session: Session, company: Company, lo: date, hi: date) -> list[dict]:
    """Cached foreign vouchers in [lo, hi] with rows on a store's cost center and POS accounts."""
    centers = {
        s.cost_center for s in session.exec(select(Store).where(Store.company_id == company.id))
    }
    mapping = session.exec(
        select(MappingVersion)
        .where(MappingVersion.company_id == company.id)
        .order_by(col(MappingVersion.version).desc())
    ).first()
    accounts = pos_accounts(mapping.data) if mapping else set()
    rows = session.exec(
        select(FortnoxVoucher, FortnoxVoucherRow)
        .join(FortnoxVoucherRow, col(FortnoxVoucherRow.voucher_id) == col(FortnoxVoucher.id))
        .where(
            FortnoxVoucher.company_id == company.id,
            col(FortnoxVoucher.key).is_(None),
            col(FortnoxVoucher.transaction_date).between(lo, hi),
            col(FortnoxVoucher.reference_type).not_in(sorted(AUTOMATIC)),
        )
        .order_by(FortnoxVoucher.transaction_date, FortnoxVoucher.series, FortnoxVoucher.number)
    ).all()
    found: dict[int, dict] = {}
    for voucher, row in rows:
        if row.cost_center not in centers or (accounts and row.account not in accounts):
            continue
        entry = found.setdefault(
            voucher.id or 0,
            {
                "date": voucher.transaction_date.isoformat(),
                "voucher": f"{voucher.series} {voucher.number}",
                "year": voucher.year,
                "description": voucher.description,
                "cost_centers": [],
                "debit": ZERO,
            },
        )
        if row.cost_center not in entry["cost_centers"]:
            entry["cost_centers"].append(row.cost_center)
        entry["debit"] += row.debit
    return [{**e, "debit": f"{e['debit']:.2f}"} for e in found.values()]


def needs_scan(session: Session, company: Company, lo: date) -> date | None:
    """Where a scan must start: on first connect, and whenever the start date moved."""
    cursor = cursor_for(session, company.id or 0)
    start = company.start_date or lo
    if cursor.scanned_from is None or cursor.scanned_from != start:
        return start
    return None


def scan_existing(
    session: Session, company_id: int, from_date: date, to_date: date, client: object = None
) -> list[dict]:
    """Read every voucher in the range into the cache and list the overlaps found (commits)."""
    company = session.get(Company, company_id)
    if company is None:
        raise LookupError(company_id)
    if client is None:
        with closing(api.client_for(session, company_id)) as own:
            return scan_existing(session, company_id, from_date, to_date, own)
    sync_vouchers(session, client, company_id, from_date, to_date)
    check_recorded(session, client, company_id, from_date, to_date)
    found = overlaps(session, company, from_date, to_date)
    cursor = cursor_for(session, company_id)
    cursor.scanned_from, cursor.scanned_to, cursor.overlaps = from_date, to_date, found
    session.add(cursor)
    session.commit()
    return found
