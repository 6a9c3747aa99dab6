"""The SHA-256 fingerprint of the data a report covers (never of who ordered it, or when)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlmodel import Session

from app.reconcile.models import StoreDayCheck
from app.reports.data import ReportRow, Scope, report_rows, store_days, stores_of

SCHEMA = "kassabok.report-data/1"


def canonical(
    orgnr: str,
    scope: Scope,
    store_codes: Iterable[str],
    rows: Iterable[ReportRow],
    days: Iterable[StoreDayCheck] = (),
) -> bytes:
    """The covered data as compact sorted JSON: scope, one array per revision and per store-day."""
    closures = sorted(
        (
            row.closure_id,
            row.revision,
            row.payload_hash,
            row.state,
            row.status,
            row.voucher_series or "",
            row.voucher_number,
            row.voucher_year,
            row.reversal,
        )
        for row in rows
    )
    doc = {
        "schema": SCHEMA,
        "company": orgnr,
        "from": scope.start.isoformat(),
        "to": scope.end.isoformat(),
        "stores": sorted(store_codes) if scope.store_ids else "all",
        "closures": [list(c) for c in closures],
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


def fingerprint(
    orgnr: str,
    scope: Scope,
    store_codes: Iterable[str],
    rows: Iterable[ReportRow],
    days: Iterable[StoreDayCheck] = (),
) -> str:
    """The hex SHA-256 of canonical(...)."""
    return hashlib.sha256(canonical(orgnr, scope, store_codes, rows, days)).hexdigest()


def current(session: Session, orgnr: str, scope: Scope) -> str:
    """The fingerprint of the scope's data as the database holds it now."""
    codes = [s.store_id for s in stores_of(session, scope)]
    rows = report_rows(session, scope)
    return fingerprint(orgnr, scope, codes, rows, store_days(session, scope, codes))
