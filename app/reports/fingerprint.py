"""The SHA-256 fingerprint of the data a report covers (never of who ordered it, or when)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from app.reports.data import ReportRow, Scope

SCHEMA = "kassabok.report-data/1"


def canonical(
    orgnr: str, scope: Scope, store_codes: Iterable[str], rows: Iterable[ReportRow]
) -> bytes:
    """The covered data as compact JSON with sorted keys: scope, then one array per revision."""
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
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def fingerprint(
    orgnr: str, scope: Scope, store_codes: Iterable[str], rows: Iterable[ReportRow]
) -> str:
    """The hex SHA-256 of canonical(...)."""
    return hashlib.sha256(canonical(orgnr, scope, store_codes, rows)).hexdigest()
