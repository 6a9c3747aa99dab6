"""Vouchers read back from Fortnox into the cache: each fetched once, new ones by lastmodified."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlmodel import Session, select

from app.closures.models import Closure
from app.fortnox import api
from app.fortnox.errors import NotFound
from app.reconcile.facts import AUTOMATIC, key_of
from app.reconcile.models import FortnoxVoucher, FortnoxVoucherRow, SyncCursor

CENT = Decimal("0.01")


def cursor_for(session: Session, company_id: int) -> SyncCursor:
    """The company's sync cursor, made on first use."""
    cursor = session.exec(select(SyncCursor).where(SyncCursor.company_id == company_id)).first()
    if cursor is None:
        cursor = SyncCursor(company_id=company_id)
        session.add(cursor)
        session.flush()
    return cursor


def stamp(at: str) -> str:
    """A lastmodified value for a sync that started at (ISO, UTC), in Fortnox's local time."""
    margin = float(current_app.config.get("RECONCILE_LASTMODIFIED_MARGIN_MINUTES", 180))
    zone = ZoneInfo(current_app.config.get("FORTNOX_TIMEZONE", "Europe/Stockholm"))
    # The margin covers clock skew and a listing that ran while a voucher was being saved.
    return (
        (datetime.fromisoformat(at) - timedelta(minutes=margin))
        .astimezone(zone)
        .strftime("%Y-%m-%d %H:%M")
    )


def gaps(lo: date, hi: date, have_from: date | None, have_to: date | None) -> list[tuple]:
    """The parts of [lo, hi] outside [have_from, have_to], keeping the covered span contiguous."""
    if have_from is None or have_to is None:
        return [(lo, hi)]
    out = []
    if lo < have_from:
        out.append((lo, have_from - timedelta(days=1)))
    if hi > have_to:
        out.append((have_to + timedelta(days=1), hi))
    return out


def _day(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


def years_for(session: Session, client: Any, cursor: SyncCursor, lo: date, hi: date) -> list:
    """The financial years overlapping [lo, hi], listed again only when one seems to be missing."""

    def overlapping() -> list[dict]:
        return [y for y in cursor.years if _day(y["FromDate"]) <= hi and _day(y["ToDate"]) >= lo]

    def covered() -> bool:
        spans = sorted((_day(y["FromDate"]), _day(y["ToDate"])) for y in overlapping())
        at = lo
        for start, end in spans:
            if start > at:
                return False
            at = max(at, end + timedelta(days=1))
        return at > hi

    if not covered():
        cursor.years = [
            {"Id": int(y["Id"]), "FromDate": str(y["FromDate"]), "ToDate": str(y["ToDate"])}
            for y in api.financial_years(client)
        ]
        session.add(cursor)
    return overlapping()


def _split(lo: date, hi: date, years: list[dict]) -> list[tuple[int, date, date]]:
    """[lo, hi] cut along financial years: (year id, from, to)."""
    out = []
    for year in years:
        a, b = max(lo, _day(year["FromDate"])), min(hi, _day(year["ToDate"]))
        if a <= b:
            out.append((int(year["Id"]), a, b))
    return out


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def store_voucher(session: Session, company_id: int, item: dict, year: int) -> FortnoxVoucher:
    """Upsert a voucher as listed (no rows yet unless it was cached before)."""
    series, number = str(item["VoucherSeries"]), int(item["VoucherNumber"])
    year = int(item.get("Year") or year)
    row = session.exec(
        select(FortnoxVoucher).where(
            FortnoxVoucher.company_id == company_id,
            FortnoxVoucher.year == year,
            FortnoxVoucher.series == series,
            FortnoxVoucher.number == number,
        )
    ).first()
    if row is None:
        row = FortnoxVoucher(company_id=company_id, year=year, series=series, number=number)
    description = str(item.get("Description") or "")
    row.transaction_date = _day(item["TransactionDate"])
    row.description = description[:1000]
    row.reference_type = str(item.get("ReferenceType") or "")
    row.key = key_of(description)
    row.missing = False
    session.add(row)
    session.flush()
    return row


def keep_sent(session: Session, company_id: int, voucher: dict, year: int) -> None:
    """Keep Fortnox's answer to a voucher just made, rows and all: no read-back needed."""
    if not voucher.get("VoucherRows") or not voucher.get("TransactionDate"):
        return
    row = store_voucher(session, company_id, voucher, year)
    if not row.rows_fetched:
        keep_rows(session, row, voucher)


def needs_rows(row: FortnoxVoucher) -> bool:
    """True for a voucher the compare reads rows of that is not fetched yet."""
    return not row.rows_fetched and row.reference_type not in AUTOMATIC


def fetch_rows(session: Session, client: Any, row: FortnoxVoucher) -> None:
    """Read a voucher's rows once; a voucher never changes afterwards."""
    keep_rows(session, row, api.get_voucher(client, row.series, row.number, row.year))


def keep_rows(session: Session, row: FortnoxVoucher, full: dict) -> None:
    """Store the rows of a full voucher answer (removed rows left out)."""
    for r in full.get("VoucherRows") or []:
        if r.get("Removed"):
            continue
        session.add(
            FortnoxVoucherRow(
                voucher_id=row.id or 0,
                account=str(r.get("Account")),
                cost_center=str(r.get("CostCenter") or ""),
                debit=_money(r.get("Debit")),
                credit=_money(r.get("Credit")),
            )
        )
    row.rows_fetched = True
    session.add(row)
    session.flush()


def sync_vouchers(session: Session, client: Any, company_id: int, lo: date, hi: date) -> None:
    """Bring the cache up to date for [lo, hi]: date listings for new days, lastmodified after."""
    cursor = cursor_for(session, company_id)
    now = datetime.now(UTC).isoformat()
    span_from = min(d for d in (lo, cursor.covered_from) if d)
    span_to = max(d for d in (hi, cursor.covered_to) if d)
    years = years_for(session, client, cursor, span_from, span_to)
    listed: list[tuple[int, dict]] = []
    synced = dict(cursor.voucher_synced)
    for gap_lo, gap_hi in gaps(lo, hi, cursor.covered_from, cursor.covered_to):
        for year_id, a, b in _split(gap_lo, gap_hi, years):
            found = api.list_vouchers(client, from_date=a, to_date=b, year_id=year_id)
            listed += [(year_id, v) for v in found]
            synced.setdefault(str(year_id), now)
    for year_id, since in cursor.voucher_synced.items():
        found = api.list_vouchers(client, year_id=int(year_id), last_modified=stamp(since))
        listed += [(int(year_id), v) for v in found]
        synced[year_id] = now
    for year_id, item in listed:
        day = _day(item["TransactionDate"])
        if span_from <= day <= span_to:
            row = store_voucher(session, company_id, item, year_id)
            if needs_rows(row):
                fetch_rows(session, client, row)
    cursor.voucher_synced = synced
    cursor.covered_from, cursor.covered_to = span_from, span_to
    session.add(cursor)
    session.flush()


def check_recorded(session: Session, client: Any, company_id: int, lo: date, hi: date) -> int:
    """Fetch vouchers our closures recorded that the cache lacks; flag those Fortnox lacks."""
    closures = session.exec(
        select(Closure).where(
            Closure.company_id == company_id,
            Closure.business_date >= lo,
            Closure.business_date <= hi,
            Closure.voucher_number.is_not(None),  # type: ignore[union-attr]
        )
    ).all()
    cached = {
        (v.series, v.number, v.year): v
        for v in session.exec(
            select(FortnoxVoucher).where(
                FortnoxVoucher.company_id == company_id,
                FortnoxVoucher.transaction_date >= lo - timedelta(days=1),
                FortnoxVoucher.transaction_date <= hi + timedelta(days=1),
            )
        ).all()
    }
    fetched = 0
    for closure in closures:
        refs = [(closure.voucher_series, closure.voucher_number, closure.voucher_year)]
        if closure.reversal_number is not None:
            refs.append((closure.reversal_series, closure.reversal_number, closure.reversal_year))
        for ref in refs:
            hit = cached.get(ref)  # type: ignore[arg-type]
            if hit is not None and not hit.missing and not needs_rows(hit):
                continue
            fetch_one(session, client, company_id, ref, closure.business_date)  # type: ignore[arg-type]
            fetched += 1
    return fetched


def fetch_one(
    session: Session, client: Any, company_id: int, ref: tuple[str, int, int], day: date
) -> FortnoxVoucher:
    """Read one voucher we recorded (rows included), or remember that Fortnox lacks it."""
    series, number, year = ref
    try:
        full = api.get_voucher(client, series, number, year)
    except NotFound:
        item = {"VoucherSeries": series, "VoucherNumber": number, "Year": year}
        row = store_voucher(session, company_id, {**item, "TransactionDate": str(day)}, year)
        row.missing = True
        session.add(row)
        session.flush()
        return row
    row = store_voucher(session, company_id, full, year)
    if not row.rows_fetched:
        keep_rows(session, row, full)
    return row
