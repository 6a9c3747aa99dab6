"""The facts of a month's VAT tie-out: Fortnox read into the reconcile cache, then gathered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from app.closures.models import Closure
from app.companies.models import Company
from app.evidence import vat
from app.fortnox import api
from app.mapping.schema import bas_default
from app.posting.builder import closure_key
from app.posting.models import PostedDocument
from app.reconcile import cache, cache_docs
from app.reconcile.models import FortnoxDocument, FortnoxVoucher, FortnoxVoucherRow

Refs = dict[tuple[str, int, int], str]  # (series, number, year) -> ReferenceNumber
# Moving money books no VAT: such vouchers are not read row by row.
NO_VAT = {"INVOICEPAYMENT", "SUPPLIERPAYMENT"}


def _day(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


def read_fortnox(session: Session, company: Company, lo: date, hi: date) -> Refs:
    """List the period's vouchers (lean), read the rows not cached yet, sync Kassabok's invoices."""
    company_id = company.id or 0
    refs: Refs = {}
    with api.client_for(session, company_id) as client:
        cursor = cache.cursor_for(session, company_id)
        for year in cache.years_for(session, client, cursor, lo, hi):
            year_id = int(year["Id"])
            a, b = max(lo, _day(year["FromDate"])), min(hi, _day(year["ToDate"]))
            for item in api.list_vouchers(client, from_date=a, to_date=b, year_id=year_id):
                row = cache.store_voucher(session, company_id, item, year_id)
                refs[row.series, row.number, row.year] = str(item.get("ReferenceNumber") or "")
                if not row.rows_fetched and row.reference_type not in NO_VAT:
                    cache.fetch_rows(session, client, row)
        cache_docs.sync_documents(session, client, company, lo, hi)
    return refs


def accounts_of(mapping: dict[str, Any]) -> vat.Accounts:
    """The VAT account per rate and the rate per sales account, BAS where the mapping is silent."""
    default = bas_default()
    vat_accounts = {**default["vat"], **(mapping.get("vat") or {})}
    sales: dict[str, str] = {}
    for source in (mapping.get("sales") or {}, default["sales"]):
        for key, account in source.items():
            sales.setdefault(str(account), key.rsplit(":", 1)[-1])
    return vat.Accounts(vat_accounts, sales)


def tills(session: Session, company_id: int, lo: date, hi: date) -> list[vat.Till]:
    """The month's closures (newest revisions) with their VAT and every key their documents use."""
    latest = session.exec(
        select(
            Closure.closure_id,
            Closure.store_code,
            Closure.z_number,
            Closure.business_date,
            Closure.state,
            Closure.payload["sales"],
        ).where(
            Closure.company_id == company_id,
            col(Closure.is_latest).is_(True),
            col(Closure.business_date).between(lo, hi),
        )
    ).all()
    keys: dict[str, set[str]] = {}
    columns = (Closure.id, Closure.closure_id, Closure.store_code, Closure.z_number)
    revisions = session.exec(
        select(*columns, Closure.revision)
        .where(Closure.company_id == company_id)
        .where(col(Closure.closure_id).in_([r[0] for r in latest]))
    ).all()
    by_pk = {}
    for pk, closure_id, store, z, revision in revisions:
        key = closure_key({"store_id": store, "z_number": z, "revision": revision})
        keys.setdefault(closure_id, set()).update({key, f"{key}-REV"})
        by_pk[pk] = closure_id
    documents = select(PostedDocument.closure_pk, PostedDocument.key).where(
        col(PostedDocument.closure_pk).in_(list(by_pk))
    )
    for pk, key in session.exec(documents).all():
        keys[by_pk[pk]].add(key)
    out = []
    for closure_id, store, z, day, state, sales in latest:
        per_rate: dict[str, Decimal] = {}
        for line in sales or []:
            per_rate[line["vat_rate"]] = per_rate.get(line["vat_rate"], vat.ZERO) + Decimal(
                line["vat"]
            )
        label = f"Z{z} {store} {day.isoformat()}"
        out.append(vat.Till(label, day, state, per_rate, frozenset(keys.get(closure_id, ()))))
    return out


def vouchers(session: Session, company_id: int, lo: date, hi: date, refs: Refs) -> list:
    """The period's vouchers as the cache holds them, rows included."""
    held = session.exec(
        select(FortnoxVoucher).where(
            FortnoxVoucher.company_id == company_id,
            col(FortnoxVoucher.transaction_date).between(lo, hi),
            col(FortnoxVoucher.missing).is_(False),
        )
    ).all()
    rows: dict[int, list] = {}
    query = select(FortnoxVoucherRow).where(
        col(FortnoxVoucherRow.voucher_id).in_([v.id for v in held])
    )
    for r in session.exec(query).all():
        rows.setdefault(r.voucher_id, []).append((r.account, r.debit, r.credit))
    return [
        vat.Voucher(
            label=f"{v.series} {v.number}",
            day=v.transaction_date,
            description=v.description,
            key=v.key,
            reference_type=v.reference_type,
            reference_number=refs.get((v.series, v.number, v.year), ""),
            rows=tuple(rows.get(v.id or 0, ())),
        )
        for v in sorted(held, key=lambda v: (v.transaction_date, v.series, v.number))
    ]


def invoices(session: Session, company_id: int, lo: date, hi: date) -> list[vat.Invoice]:
    """Kassabok's invoices of the period as the cache holds them."""
    docs = session.exec(
        select(FortnoxDocument).where(
            FortnoxDocument.company_id == company_id,
            FortnoxDocument.kind == "invoice",
            col(FortnoxDocument.key).startswith("KB:"),
            col(FortnoxDocument.document_date).between(lo, hi),
            col(FortnoxDocument.missing).is_(False),
        )
    ).all()
    out = []
    for d in docs:
        rows = [(str(a), int(v), Decimal(t)) for a, v, t in d.rows]
        per_rate = vat.invoice_vat(rows, d.vat)
        out.append(vat.Invoice(d.number, d.document_date or lo, d.key, per_rate, d.cancelled))
    return out
