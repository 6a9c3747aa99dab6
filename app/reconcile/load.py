"""From the database to the compare engine's facts: closures, what they should book, the cache."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.closures.models import Closure
from app.companies.models import Company, Store
from app.mapping.codes import lookup
from app.mapping.models import MappingVersion
from app.posting.builder import BuildSettings, HoldError, UnbalancedVoucher, build_voucher
from app.posting.invoices import build_invoices
from app.posting.models import PostedDocument
from app.reconcile.facts import (
    ZERO,
    Book,
    ClosureFacts,
    ExpectedDocument,
    FxDocument,
    FxRow,
    FxVoucher,
)
from app.reconcile.models import FortnoxDocument, FortnoxVoucher, FortnoxVoucherRow


def latest_closures(
    session: Session, company_id: int, lo: date, hi: date, visible: set[int] | None = None
) -> list[Closure]:
    """The latest revision of every closure of the company with a business date in [lo, hi]."""
    query = select(Closure).where(
        Closure.company_id == company_id,
        col(Closure.is_latest).is_(True),
        Closure.business_date >= lo,
        Closure.business_date <= hi,
    )
    if visible is not None:
        query = query.where(col(Closure.store_pk).in_(sorted(visible)))
    return list(session.exec(query.order_by(Closure.business_date, Closure.store_code)).all())


def pos_totals(payload: dict) -> dict:
    """Gross sales, VAT per rate and payments per method as the POS closed them."""
    out: dict = {"gross": ZERO, "vat": defaultdict(Decimal), "payments": defaultdict(Decimal)}
    for line in payload.get("sales") or []:
        out["gross"] += Decimal(str(line.get("gross") or 0))
        out["vat"][str(line.get("vat_rate"))] += Decimal(str(line.get("vat") or 0))
    for pay in payload.get("payments") or []:
        out["payments"][str(pay.get("method"))] += Decimal(str(pay.get("amount") or 0))
    return {"gross": out["gross"], "vat": dict(out["vat"]), "payments": dict(out["payments"])}


def unreversed_older(session: Session, company_id: int, ids: list[str]) -> set[str]:
    """Closure ids with an older revision that was booked and is not reversed yet."""
    if not ids:
        return set()
    rows = session.exec(
        select(Closure.closure_id).where(
            Closure.company_id == company_id,
            col(Closure.is_latest).is_(False),
            col(Closure.voucher_number).is_not(None),
            col(Closure.reversal_number).is_(None),
            col(Closure.closure_id).in_(ids),
        )
    ).all()
    return set(rows)


def facts_for(
    session: Session, company: Company, closures: Sequence[Closure]
) -> list[ClosureFacts]:
    """What each closure should have booked, with the mapping version it was posted with."""
    pks = [c.id for c in closures]
    wanted = {c.mapping_version_id for c in closures if c.mapping_version_id}
    latest = session.exec(
        select(MappingVersion)
        .where(MappingVersion.company_id == company.id)
        .order_by(col(MappingVersion.version).desc())
    ).first()
    mappings = {
        m.id: m.data
        for m in session.exec(select(MappingVersion).where(col(MappingVersion.id).in_(wanted)))
    }
    stores = {s.id: s for s in session.exec(select(Store).where(Store.company_id == company.id))}
    by_code = {s.store_id: s for s in stores.values()}
    docs: dict[int, list[PostedDocument]] = defaultdict(list)
    for doc in session.exec(select(PostedDocument).where(col(PostedDocument.closure_pk).in_(pks))):
        docs[doc.closure_pk].append(doc)
    older = unreversed_older(session, company.id or 0, [c.closure_id for c in closures])
    return [
        _facts(c, company, mappings, latest, stores, by_code, docs.get(c.id or 0, []), older)
        for c in closures
    ]


def _facts(
    c: Closure,
    company: Company,
    mappings: dict,
    latest: MappingVersion | None,
    stores: dict,
    by_code: dict,
    docs: list[PostedDocument],
    older: set[str],
) -> ClosureFacts:
    """The facts of one closure."""
    mapping = mappings.get(c.mapping_version_id) or (latest.data if latest else None)
    store = stores.get(c.store_pk) or by_code.get(c.store_code)
    cc = store.cost_center if store else ""
    if not cc and mapping:
        cc = ((mapping.get("stores") or {}).get(c.store_code) or {}).get("cost_center", "")
    posted = c.state == "posted"
    invoice = bool(docs) if posted and c.payload.get("invoice_sales") else company.invoice
    use_order = any(d.kind == "order" for d in docs) if docs else company.use_order
    series = c.voucher_series or company.voucher_series
    settings = BuildSettings(
        series=series, invoice=invoice, tip_on_invoice=True, use_order=use_order
    )
    expected, error, expected_docs = None, "", ()
    if mapping is None or not cc:
        error = "no mapping" if mapping is None else f"store {c.store_code} has no cost center"
    else:
        try:
            expected = build_voucher(c.payload, mapping, settings, cc)
            numbers = {d.key: d.number for d in docs}
            tips = lookup(mapping, "other:TIPS") or ""
            expected_docs = tuple(
                ExpectedDocument(
                    d.kind,
                    d.reference,
                    d.key,
                    d.expected_total,
                    d.expected_vat,
                    sum((r.price * r.quantity for r in d.rows if r.vat == 0), ZERO),
                    tips,
                    numbers.get(d.key),
                )
                for d in build_invoices(c.payload, mapping, settings, cc)
            )
        except (HoldError, UnbalancedVoucher) as err:
            error = str(err)
    voucher = None
    if c.voucher_number is not None:
        voucher = (str(c.voucher_series), int(c.voucher_number), int(c.voucher_year or 0))
    return ClosureFacts(
        pk=c.id or 0,
        closure_id=c.closure_id,
        store_code=c.store_code,
        cost_center=cc,
        business_date=c.business_date,
        state=str(c.state),
        revision=c.revision,
        hold_code=c.hold_code,
        reason=c.state_reason,
        nothing_to_book=c.nothing_to_book,
        voucher=voucher,
        expected=expected,
        expected_error=error,
        documents=expected_docs,
        correction_due=c.closure_id in older or c.hold_code == "correction_due",
        pos=pos_totals(c.payload),
    )


def book_for(
    session: Session, company_id: int, lo: date, hi: date, keys: Sequence[str] = ()
) -> Book:
    """The cached Fortnox documents of [lo, hi] (and any carrying one of keys) as a Book."""
    voucher_rows = session.exec(
        select(FortnoxVoucher).where(
            FortnoxVoucher.company_id == company_id,
            or_(
                col(FortnoxVoucher.transaction_date).between(lo, hi),
                col(FortnoxVoucher.key).in_(list(keys)),
            ),
        )
    ).all()
    ids = [v.id for v in voucher_rows]
    rows: dict[int, list[FxRow]] = defaultdict(list)
    for r in session.exec(
        select(FortnoxVoucherRow).where(col(FortnoxVoucherRow.voucher_id).in_(ids))
    ):
        rows[r.voucher_id].append(FxRow(r.account, r.cost_center, r.debit, r.credit))
    vouchers, missing = [], set()
    for v in voucher_rows:
        if v.missing:
            missing.add((v.series, v.number, v.year))
            continue
        vouchers.append(
            FxVoucher(
                v.series,
                v.number,
                v.year,
                v.transaction_date,
                v.description,
                v.reference_type,
                tuple(rows.get(v.id or 0, [])),
            )
        )
    docs = session.exec(
        select(FortnoxDocument).where(
            FortnoxDocument.company_id == company_id,
            col(FortnoxDocument.document_date).between(lo, hi),
        )
    ).all()
    return Book(
        vouchers,
        [_document(d) for d in docs if not d.missing],
        missing,
        {(d.kind, d.number) for d in docs if d.missing},
    )


def _document(d: FortnoxDocument) -> FxDocument:
    rows = tuple((str(a), int(v), Decimal(t)) for a, v, t in d.rows) if d.rows_fetched else None
    return FxDocument(
        d.kind, d.number, d.key, d.total, d.vat, d.round_off, d.cancelled, d.invoice_reference, rows
    )
