"""Fixed-width lines for the report's long tables: one text box per row keeps big periods fast.

WeasyPrint lays out every table cell as its own box; a month of 50 stores has 1,500 closure rows,
so each row is one monospaced cell (columns aligned by padding) inside a real table whose thead
repeats on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from app.audit.models import AuditEvent
from app.reports.data import ReportRow

# (width, right-aligned) of: date, Z, sales incl. VAT, VAT, payments, voucher (year), status.
COLUMNS = ((10, False), (8, False), (16, True), (13, True), (15, True), (22, False), (12, False))
Money = Callable[[Decimal | None], str]


def line(cells: list[str]) -> str:
    """cells padded (or cut) to COLUMNS and joined by two spaces."""
    out = []
    for text, (width, right) in zip(cells, COLUMNS, strict=False):
        text = text[:width]
        out.append(text.rjust(width) if right else text.ljust(width))
    return "  ".join(out).rstrip()


def header(labels: list[str]) -> str:
    """The column titles as one line."""
    return line(labels)


def closure_line(row: ReportRow, money: Money, status: str) -> str:
    """One closure revision: date, Z (and revision), POS totals, voucher, status."""
    z = f"{row.z_number}" + (f" r{row.revision}" if row.revision > 1 or not row.is_latest else "")
    voucher = "—"
    if row.voucher_number is not None:
        voucher = f"{row.voucher} ({row.voucher_year})"
        if row.reversal:
            voucher += f" ↺{row.reversal}"
    cells = [row.business_date.isoformat(), z, money(row.gross), money(row.vat), money(row.paid)]
    return line([*cells, voucher, status])


def total_line(
    label: str, gross: Decimal, vat: Decimal | None, paid: Decimal | None, money: Money
) -> str:
    """A store's totals under its closures (blank where a figure does not apply)."""
    return line([label, "", *(money(v) if v is not None else "" for v in (gross, vat, paid))])


def log_line(event: AuditEvent, when: str, label: str) -> str:
    """One routine event: number, time, actor, what, target, voucher or revision."""
    detail = (event.detail or {}).get("answer") or (event.detail or {}).get("revision") or ""
    if isinstance(detail, dict):
        detail = f"{detail.get('series', '')}-{detail.get('number', '')} ({detail.get('year', '')})"
    elif detail:
        detail = f"r{detail}"
    who, what, target = event.actor[:10], label[:22], event.target[:34]
    return f"{event.id:>7}  {when}  {who:<10}  {what:<22}  {target:<34}  {detail}"
