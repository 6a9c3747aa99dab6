"""The SHA-256 fingerprint of the data a report covers (never of who ordered it, or when)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from app.closures.models import Closure
from app.evidence.breaks import findings
from app.reconcile.models import StoreDayCheck
from app.reconcile.report import closure_statuses
from app.reports import clearing, evidence
from app.reports.data import ReportRow, Scope, stores_of

# /2: the Z-chain's breaks with their explanations and the months' VAT tie-outs came in.
SCHEMA = "kassabok.report-data/2"
# What the fingerprint reads of a closure revision and of a store-day: columns only, never the
# payload, so the reports page can tell an out-of-date report without building one (10× faster).
CLOSURE_COLUMNS = (
    Closure.id, Closure.company_id, Closure.store_code, Closure.business_date,
    Closure.closure_id, Closure.revision, Closure.payload_hash, Closure.state, Closure.hold_code,
    Closure.state_version, Closure.state_reason, Closure.voucher_series, Closure.voucher_number,
    Closure.voucher_year, Closure.reversal_series, Closure.reversal_number,
)  # fmt: skip
DAY_COLUMNS = (
    StoreDayCheck.store_code, StoreDayCheck.business_date, StoreDayCheck.status,
    StoreDayCheck.pos_total, StoreDayCheck.fortnox_total,
)  # fmt: skip


def _entry(row: Any, status: str, reversal: str) -> list[Any]:
    """One closure revision as the fingerprint covers it."""
    return [
        row.closure_id,
        row.revision,
        row.payload_hash,
        str(row.state),
        status,
        row.voucher_series or "",
        row.voucher_number,
        row.voucher_year,
        reversal,
    ]


def _document(
    orgnr: str,
    scope: Scope,
    store_codes: Iterable[str],
    entries: list[list[Any]],
    days: Any,
    proof: dict[str, list[Any]],
) -> bytes:
    """The covered data as compact sorted JSON: scope, revisions, store-days, breaks, tie-outs."""
    doc = {
        **proof,
        "schema": SCHEMA,
        "company": orgnr,
        "from": scope.start.isoformat(),
        "to": scope.end.isoformat(),
        "stores": sorted(store_codes) if scope.store_ids else "all",
        "closures": sorted(entries),
        "days": sorted(
            [
                d.store_code,
                d.business_date.isoformat(),
                d.status,
                str(d.pos_total),
                str(d.fortnox_total),
            ]
            for d in days
        ),  # fmt: skip
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical(
    orgnr: str,
    scope: Scope,
    store_codes: Iterable[str],
    rows: Iterable[ReportRow],
    days: Iterable[StoreDayCheck] = (),
    proof: dict[str, list[Any]] | None = None,
) -> bytes:
    """The covered data of the report's rows (and evidence.covered(...)) as compact sorted JSON."""
    entries = [_entry(row, row.status, row.reversal) for row in rows]
    return _document(orgnr, scope, store_codes, entries, days, proof or evidence.covered([], []))


def fingerprint(
    orgnr: str,
    scope: Scope,
    store_codes: Iterable[str],
    rows: Iterable[ReportRow],
    days: Iterable[StoreDayCheck] = (),
    proof: dict[str, list[Any]] | None = None,
) -> str:
    """The hex SHA-256 of canonical(...)."""
    return hashlib.sha256(canonical(orgnr, scope, store_codes, rows, days, proof)).hexdigest()


def proof_of(session: Session, scope: Scope, store_codes: Iterable[str]) -> dict[str, list[Any]]:
    """The evidence the fingerprint covers as the database holds it now: breaks and tie-outs."""
    stores = evidence.store_filter(scope, store_codes)
    found = findings(session, scope.company_id, scope.start, scope.end, stores)
    cleared = clearing.covered(clearing.clearing(session, scope, list(store_codes)))
    return evidence.covered(found, evidence.vat_months(session, scope)) | cleared


def current(session: Session, orgnr: str, scope: Scope) -> str:
    """The fingerprint of the scope's data as the database holds it now (what a build would get)."""
    codes = [s.store_id for s in stores_of(session, scope)]
    in_scope = (
        Closure.company_id == scope.company_id,
        col(Closure.business_date).between(scope.start, scope.end),
    )
    query = select(*CLOSURE_COLUMNS).where(*in_scope)  # type: ignore[call-overload]
    if scope.store_ids:
        query = query.where(col(Closure.store_pk).in_(scope.store_ids))
    rows = session.exec(query).all()
    statuses = closure_statuses(session, rows)  # the one definition of a closure's status
    entries = [_entry(r, statuses[r.id][0], _reversal(r)) for r in rows]
    days = select(*DAY_COLUMNS).where(  # type: ignore[call-overload]
        StoreDayCheck.company_id == scope.company_id,
        col(StoreDayCheck.business_date).between(scope.start, scope.end),
    )
    if scope.store_ids:
        days = days.where(col(StoreDayCheck.store_code).in_(sorted(codes)))
    proof = proof_of(session, scope, codes)
    digest = _document(orgnr, scope, codes, entries, session.exec(days).all(), proof)
    return hashlib.sha256(digest).hexdigest()


def _reversal(row: Any) -> str:
    """The reversal voucher of a corrected revision as series-number, or ''."""
    if row.reversal_number is None:
        return ""
    return f"{row.reversal_series}-{row.reversal_number}"


def changed(session: Session, orgnr: str, built: Iterable[tuple[int, Scope, str]]) -> set[int]:
    """Of (id, scope, fingerprint at build), the ids whose scope's data has another one now."""
    now: dict[Scope, str] = {}
    out = set()
    for key, scope, then in built:
        if scope not in now:  # reports of the same scope share one reading
            now[scope] = current(session, orgnr, scope)
        if now[scope] != then:
            out.add(key)
    return out
