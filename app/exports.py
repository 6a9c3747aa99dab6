"""Every table the portal exports, as CSV the reader's spreadsheet opens as data, or as XLSX.

A Swedish reader's CSV has ';' between cells and a decimal comma (what Excel expects on a
Swedish Windows); an English reader's has ',' and a decimal point. Both are UTF-8 with a BOM.
In XLSX amounts are numeric cells with a number format and dates are date cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from flask import Response, abort
from flask_babel import get_locale
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.csvsafe import safe_cell

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Kind = Literal["text", "amount", "integer", "date", "datetime"]
# Excel's own codes: the reader's Excel shows them with its own separators.
NUMBER_FORMATS = {"amount": "#,##0.00", "integer": "0", "date": "yyyy-mm-dd"}
NUMBER_FORMATS["datetime"] = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    """One column: its heading in the reader's language and what its cells hold."""

    title: str
    kind: Kind = "text"


def _language(language: str | None) -> str:
    """The language the table is written for: as asked, else the reader's."""
    return (language or str(get_locale() or "sv")).split("_")[0]


def csv_cell(value: object, kind: Kind, language: str) -> object:
    """One cell as the reader's spreadsheet reads it: numbers with its decimal sign, text safe."""
    if value is None or value == "":
        return ""
    if kind == "amount":
        text = f"{Decimal(str(value)):.2f}"
        return text.replace(".", ",") if language == "sv" else text
    if kind == "integer":
        return str(int(value))  # type: ignore[call-overload]
    if kind == "date" and isinstance(value, date):
        return value.isoformat()[:10]
    if kind == "datetime" and isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return safe_cell(str(value))


def to_csv(
    columns: Sequence[Column], rows: Iterable[Sequence[object]], language: str | None = None
) -> str:
    """The table as CSV text with a BOM and CRLF line ends, split as the reader's Excel wants."""
    lang = _language(language)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";" if lang == "sv" else ",", lineterminator="\r\n")
    writer.writerow([safe_cell(c.title) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(v, c.kind, lang) for c, v in zip(columns, row, strict=True)])
    return out.getvalue()


def _xlsx_value(value: object, kind: Kind) -> object:
    """A cell's value as openpyxl stores it: Decimal and int as numbers, dates as dates."""
    if value is None or value == "":
        return None
    if kind == "amount":
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if kind == "integer":
        return int(value)  # type: ignore[call-overload]
    if kind == "datetime" and isinstance(value, datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones: the time as the reader saw it
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value[:10])
    if kind == "date" and isinstance(value, date | datetime):
        return value
    return str(value)


def to_xlsx(
    columns: Sequence[Column], rows: Iterable[Sequence[object]], sheet: str = "Kassabok"
) -> bytes:
    """The table as an XLSX workbook: a bold, frozen heading row and typed cells."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([c.title for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(c.title) for c in columns]
    for r, row in enumerate(rows, start=2):
        for i, (column, value) in enumerate(zip(columns, row, strict=True)):
            cell = ws.cell(row=r, column=i + 1, value=_xlsx_value(value, column.kind))
            if column.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.kind]
            elif cell.data_type == "f":
                cell.data_type = "s"  # text that looks like a formula stays text, never runs
            widths[i] = max(widths[i], len(str(cell.value or "")))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width, 8) + 2, 60)
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def attachment(
    columns: Sequence[Column], rows: Iterable[Sequence[object]], name: str, fmt: str
) -> Response:
    """The table as a download named name.csv or name.xlsx; any other format is a 404."""
    if fmt not in FORMATS:
        abort(404)
    if fmt == "xlsx":
        response = Response(to_xlsx(columns, rows), mimetype=XLSX)
    else:
        response = Response(to_csv(columns, rows), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
