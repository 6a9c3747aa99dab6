"""The one export module: CSV as Swedish or English Excel reads it, and XLSX with typed cells."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.exports import Column, attachment, to_csv, to_xlsx

COLUMNS = [
    Column("Butik"),
    Column("Datum", "date"),
    Column("Belopp", "amount"),
    Column("Antal", "integer"),
    Column("Skäl"),
]
ROWS = [
    ["S01", date(2026, 10, 1), Decimal("-340.5"), 3, "Kassadifferensen −340,00 kr"],
    ["=cmd|' /C calc'!A0", "2026-10-02", "1820.00", 1, "@SUM(1+1)"],
]


def _excel(data: bytes, delimiter: str) -> list[list[str]]:
    """The cells as Excel reads a CSV file: UTF-8 only when a BOM says so, then split."""
    assert data.startswith(b"\xef\xbb\xbf"), "no BOM: Excel would read the file as ANSI"
    text = data[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_a_swedish_csv_opens_as_swedish_excel_reads_it() -> None:
    cells = _excel(to_csv(COLUMNS, ROWS, "sv").encode(), ";")
    assert cells[0] == ["Butik", "Datum", "Belopp", "Antal", "Skäl"]
    assert all(len(row) == 5 for row in cells), "every row splits on ';' into its columns"
    assert cells[1][:4] == ["S01", "2026-10-01", "-340,50", "3"]
    # Swedish Excel reads "-340,50" as a number: a decimal comma, an ASCII minus, no grouping.
    assert Decimal(cells[1][2].replace(",", ".")) == Decimal("-340.50")
    assert cells[2][2] == "1820,00" and cells[1][4] == "Kassadifferensen −340,00 kr"


def test_an_english_csv_has_commas_and_decimal_points() -> None:
    cells = _excel(to_csv(COLUMNS, ROWS, "en").encode(), ",")
    assert cells[1][:4] == ["S01", "2026-10-01", "-340.50", "3"]
    assert cells[2][2] == "1820.00"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_text_a_spreadsheet_would_run_goes_out_as_text(language: str) -> None:
    cells = _excel(to_csv(COLUMNS, ROWS, language).encode(), ";" if language == "sv" else ",")
    assert cells[2][0] == "'=cmd|' /C calc'!A0" and cells[2][4] == "'@SUM(1+1)"


def test_xlsx_has_numbers_as_numbers_and_dates_as_dates() -> None:
    ws = load_workbook(io.BytesIO(to_xlsx(COLUMNS, ROWS))).active
    assert [c.value for c in ws[1]] == ["Butik", "Datum", "Belopp", "Antal", "Skäl"]
    assert ws[1][0].font.bold and ws.freeze_panes == "A2"
    day, amount, count = ws["B2"], ws["C2"], ws["D2"]
    assert day.is_date and day.value == datetime(2026, 10, 1) and day.number_format == "yyyy-mm-dd"
    assert amount.data_type == "n" and amount.value == pytest.approx(-340.5)
    assert amount.number_format == "#,##0.00"
    assert count.value == 3 and isinstance(count.value, int)
    assert ws["B3"].is_date and ws["C3"].value == 1820


def test_xlsx_keeps_a_formula_as_text() -> None:
    ws = load_workbook(io.BytesIO(to_xlsx(COLUMNS, ROWS))).active
    assert ws["A3"].data_type == "s" and ws["A3"].value == "=cmd|' /C calc'!A0"


def test_attachment_names_the_file_and_refuses_other_formats(app) -> None:  # type: ignore[no-untyped-def]
    from werkzeug.exceptions import NotFound

    with app.test_request_context():
        xlsx = attachment(COLUMNS, ROWS, "grid-2026-10", "xlsx")
        assert xlsx.mimetype.endswith("spreadsheetml.sheet")
        assert 'filename="grid-2026-10.xlsx"' in xlsx.headers["Content-Disposition"]
        assert attachment(COLUMNS, ROWS, "x", "csv").mimetype == "text/csv"
        with pytest.raises(NotFound):
            attachment(COLUMNS, ROWS, "x", "pdf")
