"""Run a month's VAT tie-out, keep it, give it as JSON (what the CLI prints, the page shows)."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from sqlmodel import Session, select

from app.companies.models import Company
from app.db import utcnow
from app.evidence import vat
from app.evidence.models import VatTieout
from app.evidence.vat_service import Refs, accounts_of, invoices, read_fortnox, tills, vouchers
from app.mapping.versions import current_data

MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


def parse_month(text: str | None) -> date | None:
    """The first day of a YYYY-MM month, None when text is no such month."""
    found = MONTH.fullmatch(text or "")
    return date(int(found[1]), int(found[2]), 1) if found else None


def bounds(month: date) -> tuple[date, date]:
    """The first and last day of month."""
    return month, month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _money(value: Any) -> str:
    return f"{value + 0:.2f}"  # + 0: never "-0.00"


def to_json(result: vat.TieOut, company: Company, month: date) -> dict[str, Any]:
    """The tie-out as plain JSON: amounts as decimal strings, dates as ISO."""
    return {
        "company": company.orgnr,
        "month": month.strftime("%Y-%m"),
        "rates": [
            {
                "rate": line.rate,
                "account": line.account,
                "tills": _money(line.tills),
                "kassabok_vouchers": _money(line.vouchers),
                "kassabok_invoices": _money(line.invoices),
                "others": _money(line.others),
                "booked": _money(line.booked),
                "difference": _money(line.difference),
                "explained": _money(result.explained(line.rate)),
            }
            for line in result.lines
        ],
        "documents": [
            {
                "rate": d.rate,
                "kind": d.kind,
                "document": d.label,
                "day": d.day.isoformat(),
                "amount": _money(d.amount),
                "why": d.why,
            }
            for d in result.documents
        ],  # fmt: skip
        "deviations": [
            {
                "voucher": d.label,
                "day": d.day.isoformat(),
                "rate": d.rate,
                "sales": _money(d.sales),
                "vat": _money(d.vat),
                "effective": None if d.effective is None else _money(d.effective),
                "kassabok": d.kassabok,
            }
            for d in result.deviations
        ],  # fmt: skip
    }


def compute(session: Session, company: Company, month: date, refs: Refs) -> dict[str, Any]:
    """The month's tie-out from the database and the reconcile cache (no Fortnox call)."""
    lo, hi = bounds(month)
    cid = company.id or 0
    accounts = accounts_of(current_data(session, cid))
    result = vat.tie_out(
        accounts,
        tills(session, cid, lo, hi),
        vouchers(session, cid, lo, hi, refs),
        invoices(session, cid, lo, hi),
    )
    return to_json(result, company, month)


def run(session: Session, company: Company, month: date, user: Any = None) -> VatTieout:
    """Read Fortnox for the month, tie its VAT out and keep the result (the caller commits)."""
    lo, hi = bounds(month)
    refs = read_fortnox(session, company, lo, hi)
    data = compute(session, company, month, refs)
    kept = last(session, company.id or 0, month) or VatTieout(
        company_id=company.id or 0, month=month.strftime("%Y-%m")
    )
    kept.read_at, kept.user_id = utcnow(), getattr(user, "id", None)
    kept.result = {**data, "read_at": kept.read_at.isoformat()}
    session.add(kept)
    session.flush()
    return kept


def last(session: Session, company_id: int, month: date) -> VatTieout | None:
    """The month's tie-out as last read, if it was."""
    return session.exec(
        select(VatTieout).where(
            VatTieout.company_id == company_id, VatTieout.month == month.strftime("%Y-%m")
        )
    ).first()
