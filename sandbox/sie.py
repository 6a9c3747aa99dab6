"""SIE 4i import: each #VER becomes a voucher, dimension 1 objects are cost centers."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sandbox import jsonio, ledger, validation
from sandbox.errors import ApiError
from sandbox.store import Store

TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(\{[^}]*\})|(\S+)')


def decode(data: bytes) -> str:
    """SIE text: PC8 (code page 437) when the file says so, else UTF-8 or Windows-1252."""
    if b"#FORMAT PC8" in data.upper():
        return data.decode("cp437")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def tokens(line: str) -> list[str]:
    """Fields of one SIE line: quoted strings unquoted, object lists kept in braces."""
    found = []
    for quoted, braces, bare in TOKEN.findall(line):
        found.append(
            quoted.replace('\\"', '"') if quoted or not (braces or bare) else braces or bare
        )
    return found


def _date(text: str) -> str:
    """A SIE date (YYYYMMDD) as YYYY-MM-DD."""
    try:
        return datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError as exc:
        raise ApiError("bad_date", value=text) from exc


def _objects(text: str) -> dict[str, str]:
    """{1 "100" 6 "P1"} as {"1": "100", "6": "P1"}."""
    parts = tokens(text.strip()[1:-1])
    return dict(zip(parts[::2], parts[1::2], strict=False))


def parse(text: str) -> list[dict]:
    """The #VER blocks of a SIE file with their #TRANS rows."""
    vouchers: list[dict] = []
    current: dict | None = None
    for raw in text.splitlines():
        parts = tokens(raw.strip())
        if not parts:
            continue
        tag = parts[0].upper()
        if tag == "#VER":
            current = {
                "series": parts[1] if len(parts) > 1 else "",
                "date": _date(parts[3]),
                "text": parts[4] if len(parts) > 4 else "",
                "rows": [],
            }
            vouchers.append(current)
        elif tag == "#TRANS" and current is not None:
            try:
                amount = Decimal(parts[3])
            except (InvalidOperation, IndexError) as exc:
                raise ApiError("not_numeric", value=raw.strip()) from exc
            current["rows"].append(
                {
                    "account": parts[1],
                    "objects": _objects(parts[2]),
                    "amount": amount,
                    "text": parts[5] if len(parts) > 5 else "",
                }
            )
    return vouchers


def import_vouchers(store: Store, tenant: int, data: bytes, series: str | None) -> list[dict]:
    """Book every #VER of the file (all or none), into `series` if given."""
    parsed = parse(decode(data))
    if not parsed:
        raise ApiError("no_rows")
    booked = []
    with store.write():
        for ver in parsed:
            code = series or ver["series"] or "A"
            validation.check_series(store, tenant, code, manual=False)
            year = validation.check_period(store, tenant, ver["date"], None)
            rows = [
                {
                    "Account": validation.integer(row["account"], "Account"),
                    "CostCenter": row["objects"].get("1", ""),
                    "Debit": jsonio.cents(max(row["amount"], Decimal(0))),
                    "Credit": jsonio.cents(max(-row["amount"], Decimal(0))),
                    "TransactionInformation": row["text"],
                }
                for row in ver["rows"]
                if row["amount"]
            ]
            checked = validation.voucher_rows(store, tenant, rows)
            booked.append(
                ledger.book(
                    store,
                    tenant,
                    year["Id"],
                    code,
                    ver["date"],
                    checked,
                    description=ver["text"] or "SIE-import",
                )
            )
    return booked
