"""Invoices and orders carrying a Kassabok key, cached and refreshed while they may change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from app.closures.models import Closure
from app.companies.models import Company
from app.fortnox import api
from app.fortnox.errors import NotFound
from app.posting.invoices import KEY_FIELD
from app.posting.models import PostedDocument
from app.reconcile.cache import cursor_for, gaps, stamp
from app.reconcile.models import FortnoxDocument

CENT = Decimal("0.01")
MONEY = {"Total": "total", "TotalVAT": "vat", "RoundOff": "round_off"}
ROWS_FIELD = {"invoice": "InvoiceRows", "order": "OrderRows"}
WRAP = {"invoice": "Invoices", "order": "Orders"}
DATE_FIELD = {"invoice": "InvoiceDate", "order": "OrderDate"}


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def kinds_in_use(session: Session, company: Company) -> set[str]:
    """Which kinds of document Kassabok makes (or made) for the company."""
    made = session.exec(
        select(PostedDocument.kind)
        .join(Closure, col(Closure.id) == col(PostedDocument.closure_pk))
        .where(Closure.company_id == company.id)
        .distinct()
    ).all()
    kinds = {str(k) for k in made}
    if company.invoice:
        kinds.add("order" if company.use_order else "invoice")
    return kinds


def _get(client: Any, kind: str, number: str) -> dict:
    return api.get_order(client, number) if kind == "order" else api.get_invoice(client, number)


def _key(item: dict) -> str | None:
    """The Kassabok key a listed or fetched document carries, None when the item does not say."""
    legacy = str(item.get("YourOrderNumber") or "")  # orders made before keys moved
    if legacy.startswith("KB:") and not str(item.get(KEY_FIELD) or ""):
        return legacy[:200]
    return str(item.get(KEY_FIELD) or "")[:200] if KEY_FIELD in item else None


def _state(doc: FortnoxDocument) -> tuple:
    return (doc.total, doc.vat, doc.round_off, doc.cancelled, doc.booked, doc.invoice_reference)


def _apply(doc: FortnoxDocument, kind: str, item: dict) -> None:
    """Take what the item says; a lean list item leaves out what it does not carry."""
    key = _key(item)
    if key is not None and (key or not doc.key):
        doc.key = key
    if DATE_FIELD[kind] in item:
        when = item.get(DATE_FIELD[kind])
        doc.document_date = date.fromisoformat(str(when)[:10]) if when else None
    for field, attr in MONEY.items():
        if field in item:
            setattr(doc, attr, _money(item.get(field)))
    for field, attr in (("Cancelled", "cancelled"), ("Booked", "booked")):
        if field in item:
            setattr(doc, attr, bool(item.get(field)))
    if "InvoiceReference" in item:
        doc.invoice_reference = api.invoiced_as(item)


def store_document(
    session: Session, company_id: int, kind: str, item: dict, *, changed: bool = False
) -> FortnoxDocument:
    """Upsert an invoice or order from a listing or a full answer (rows read again on change).

    changed: Fortnox listed it as modified, so what a lean list item leaves out may differ too.
    """
    number = str(item["DocumentNumber"])
    doc = session.exec(
        select(FortnoxDocument).where(
            FortnoxDocument.company_id == company_id,
            FortnoxDocument.kind == kind,
            FortnoxDocument.number == number,
        )
    ).first() or FortnoxDocument(company_id=company_id, kind=kind, number=number)
    before = _state(doc)
    _apply(doc, kind, item)
    doc.missing = False
    rows = item.get(ROWS_FIELD[kind])
    if rows is not None:
        doc.rows = [
            [str(r.get("AccountNumber")), int(r.get("VAT") or 0), f"{_money(r.get('Total')):.2f}"]
            for r in rows
        ]
        doc.rows_fetched = True
    elif changed or before != _state(doc):
        doc.rows_fetched = False  # it changed: read it whole again
    doc.fetched_at = datetime.now(UTC)
    session.add(doc)
    session.flush()
    return doc


def _listed(client: Any, kind: str, cursor: Any, lo: date, hi: date) -> dict[str, tuple]:
    """The kind's documents listed in the uncovered dates or changed since the last sync."""
    path, wrap = f"{kind}s", WRAP[kind]
    listed: dict[str, tuple] = {}
    for a, b in gaps(lo, hi, cursor.docs_from, cursor.docs_to):
        for item in api.pages(client, path, wrap, fromdate=a.isoformat(), todate=b.isoformat()):
            listed[str(item["DocumentNumber"])] = (item, False)
    if kind in cursor.docs_synced:
        since = stamp(cursor.docs_synced[kind])
        for item in api.pages(client, path, wrap, lastmodified=since):
            listed[str(item["DocumentNumber"])] = (item, True)
    return listed


def sync_documents(session: Session, client: Any, company: Company, lo: date, hi: date) -> None:
    """List new and changed invoices/orders, keep those with a Kassabok key, read them whole."""
    cursor = cursor_for(session, company.id or 0)
    kinds = kinds_in_use(session, company)
    now = datetime.now(UTC).isoformat()
    synced = dict(cursor.docs_synced)
    for kind in sorted(kinds):
        listed = _listed(client, kind, cursor, lo, hi)
        synced[kind] = now
        for item, changed in listed.values():
            if not str(item.get(KEY_FIELD) or "").startswith("KB:"):
                continue  # not ours (orders of the older key are read as recorded, below)
            doc = store_document(session, company.id or 0, kind, item, changed=changed)
            if not doc.rows_fetched:
                store_document(session, company.id or 0, kind, _get(client, kind, doc.number))
    if kinds:
        cursor.docs_from = min(d for d in (lo, cursor.docs_from) if d)
        cursor.docs_to = max(d for d in (hi, cursor.docs_to) if d)
    cursor.docs_synced = synced
    session.add(cursor)
    check_recorded_documents(session, client, company.id or 0, lo, hi)


def check_recorded_documents(
    session: Session, client: Any, company_id: int, lo: date, hi: date
) -> int:
    """Fetch documents our closures recorded that the cache lacks; flag those Fortnox lacks."""
    recorded = session.exec(
        select(PostedDocument, Closure.business_date)
        .join(Closure, col(Closure.id) == col(PostedDocument.closure_pk))
        .where(
            Closure.company_id == company_id,
            Closure.business_date >= lo,
            Closure.business_date <= hi,
            col(PostedDocument.number).is_not(None),
        )
    ).all()
    cached = {
        (d.kind, d.number): d
        for d in session.exec(
            select(FortnoxDocument).where(
                FortnoxDocument.company_id == company_id,
                col(FortnoxDocument.number).in_([str(p.number) for p, _day in recorded]),
            )
        ).all()
    }
    fetched = 0
    for posted, day in recorded:
        hit = cached.get((posted.kind, str(posted.number)))
        if hit is not None and not hit.missing:
            continue
        fetched += 1
        try:
            store_document(
                session, company_id, posted.kind, _get(client, posted.kind, posted.number)
            )
        except NotFound:
            doc = hit or FortnoxDocument(
                company_id=company_id, kind=posted.kind, number=str(posted.number), key=posted.key
            )
            doc.missing, doc.document_date = True, doc.document_date or day
            session.add(doc)
            session.flush()
    return fetched
