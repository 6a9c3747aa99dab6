"""Reconciliation results for a range, as plain rows: the API, the CSV exports and reports.

Reasons are given in English words, as the POS API gives them: these rows are read by machines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from app.closures.models import Closure
from app.posting import reasons
from app.reconcile.compare import stored_rows
from app.reconcile.counts import closure_status, reviewed_status
from app.reconcile.day import stored_lines
from app.reconcile.load import latest_closures
from app.reconcile.models import ClosureCheck, StoreDayCheck
from app.reconcile.reviews import reviewed_days, reviews_in, settled

QUIET = ("matched", "pending")


def closure_statuses(session: Session, closures: Sequence[Closure]) -> dict[int, tuple[str, str]]:
    """Status and reason per closure pk: the last check while its state is unchanged."""
    pks = [c.id for c in closures]
    checks = {
        c.closure_pk: c
        for c in session.exec(select(ClosureCheck).where(col(ClosureCheck.closure_pk).in_(pks)))
    }
    reviewed = reviewed_days(session, {c.company_id for c in closures})
    out = {}
    for c in closures:
        check = checks.get(c.id or 0)
        found = (check.status, check.state_version) if check else None
        status = closure_status(c.state, c.hold_code, found, c.state_version)
        status = reviewed_status(status, (c.company_id, c.store_code, c.business_date) in reviewed)
        fresh = check is not None and check.state_version == c.state_version
        out[c.id or 0] = (status, check.reason if fresh and check else c.state_reason)
    return out


def closure_rows(
    session: Session, company_id: int, lo: date, hi: date, visible: set[int] | None = None
) -> list[dict]:
    """Per closure: id, store, date, status, reason, voucher and the rows that differ."""
    closures = latest_closures(session, company_id, lo, hi, visible)
    statuses = closure_statuses(session, closures)
    reviews = reviews_in(session, company_id, lo, hi)
    checks = {
        c.closure_pk: c
        for c in session.exec(
            select(ClosureCheck).where(col(ClosureCheck.closure_pk).in_([c.id for c in closures]))
        )
    }
    out = []
    for c in closures:
        status, reason = statuses[c.id or 0]
        detail = checks[c.id].detail if c.id in checks else {}
        diffs = [
            {**r, "difference": f"{row.delta:.2f}"}
            for r, row in zip(detail.get("rows", []), stored_rows(detail), strict=True)
            if (r["expected_debit"], r["expected_credit"])
            != (r["actual_debit"], r["actual_credit"])
        ]
        voucher = f"{c.voucher_series} {c.voucher_number}" if c.voucher_number else ""
        out.append(
            {
                "closure_id": c.closure_id,
                "revision": c.revision,
                "store": c.store_code,
                "date": c.business_date.isoformat(),
                "z_number": c.z_number,
                "status": status,
                "reason": reasons.english(reason),  # stored as codes: English words for machines
                "voucher": voucher,
                "duplicates": detail.get("duplicates", []),
                "differences": diffs if status not in QUIET else [],
                "documents": [_english(doc) for doc in detail.get("documents", [])],
                "reviews": _reviews(reviews, c.store_code, c.business_date),
            }
        )
    return out


def _reviews(found: dict, store: str, day: date) -> list[dict]:
    """The store-day's reviews: by whom, when, why."""
    return [r.to_json() for r in found.get((store, day), [])]


def _english(doc: dict) -> dict:
    """An invoice's or order's check with its problems in English words."""
    said = reasons.render(doc.get("problems") or [], "en")
    return {**doc, "problems": [s.message for s in said]}


def day_rows(
    session: Session, company_id: int, lo: date, hi: date, stores: set[str] | None = None
) -> list[dict]:
    """Per store-day: status, POS and Fortnox totals, the accounts that differ, the reviews."""
    checks = session.exec(
        select(StoreDayCheck)
        .where(
            StoreDayCheck.company_id == company_id,
            col(StoreDayCheck.business_date).between(lo, hi),
        )
        .order_by(StoreDayCheck.business_date, StoreDayCheck.store_code)
    ).all()
    reviews = reviews_in(session, company_id, lo, hi)
    out = []
    for d in checks:
        if stores is not None and d.store_code not in stores:
            continue
        said = _reviews(reviews, d.store_code, d.business_date)
        holds = settled(reviews.get((d.store_code, d.business_date), []))  # saw these amounts
        out.append(
            {
                "store": d.store_code,
                "date": d.business_date.isoformat(),
                "status": reviewed_status(d.status, holds),
                "pos_total": f"{d.pos_total:.2f}",
                "fortnox_total": f"{d.fortnox_total:.2f}",
                "reason": reasons.english(d.detail.get("reason") or ""),
                "differences": [
                    {
                        "account": x.account,
                        "label": x.label,
                        "expected": f"{x.expected:.2f}",
                        "actual": f"{x.actual:.2f}",
                        "difference": f"{x.delta:.2f}",
                    }  # fmt: skip
                    for x in stored_lines(d.detail)
                    if x.delta
                ],
                "reviews": said,
                "checked_at": d.checked_at.isoformat(),
            }
        )
    return out
