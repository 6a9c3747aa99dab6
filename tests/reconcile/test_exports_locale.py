"""The dashboard's exports as a Swedish and an English reader's spreadsheet opens them."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from app.closures.models import Closure
from app.posting.reasons import Reason, encode
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month

MONTH = date.today().replace(day=1)
CASH = Reason("cash_difference_over_threshold", {"difference": "-340.00", "threshold": "50.00"})


@pytest.fixture
def company(app, session):  # type: ignore[no-untyped-def]
    company = make_company(session)
    seed_month(session, company, 4, MONTH, days=12)
    make_user(session, "sv@x.se", company, "accountant", locale="sv")
    make_user(session, "en@x.se", company, "accountant", locale="en")
    held = session.exec(
        select(Closure).where(Closure.state == "held", Closure.hold_code != "correction_due")
    ).one()
    held.state_reason, held.hold_code = encode([CASH]), CASH.code
    held.state_version += 1  # the hold is newer than the last check
    session.add(held)
    session.commit()
    return company


def _excel(body: bytes, delimiter: str) -> list[list[str]]:
    """The rows as Excel splits a CSV file that starts with a UTF-8 BOM."""
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8")), delimiter=delimiter))


def _get(client, company, what: str) -> bytes:  # type: ignore[no-untyped-def]
    url = f"/c/{company.id}/dashboard/export/{what}?month={MONTH:%Y-%m}"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.data


def test_a_swedish_reader_gets_swedish_excels_csv(company, client, auth) -> None:
    auth.login("sv@x.se")
    grid = _excel(_get(client, company, "grid.csv"), ";")
    assert grid[0] == [
        "Butik", "Namn", "Datum", "Status", "Dagsavslut", "Kassasumma", "Summa i Fortnox",
        "Granskad",
    ]  # fmt: skip
    assert all(len(row) == 8 for row in grid)
    total = grid[1][5]
    assert "," in total and "." not in total and Decimal(total.replace(",", ".")) > 0
    exceptions = _excel(_get(client, company, "exceptions.csv"), ";")
    assert exceptions[0][:3] == ["Butik", "Datum", "Dagsavslut"]
    reasons = [row[6] for row in exceptions[1:]]
    cash = "Kassadifferensen −340,00\xa0kr överstiger gränsen på 50,00\xa0kr."
    assert any(r.startswith(cash) for r in reasons), reasons
    assert not any("cash_difference" in r or "The cash" in r for r in reasons)
    statuses = {row[5] for row in exceptions[1:]}
    assert "Avvikelse" in statuses or "Stoppad" in statuses, statuses


def test_an_english_reader_gets_commas_and_points(company, client, auth) -> None:
    auth.login("en@x.se")
    grid = _excel(_get(client, company, "grid.csv"), ",")
    assert grid[0][:3] == ["Store", "Name", "Date"] and "." in grid[1][5]
    exceptions = _excel(_get(client, company, "exceptions.csv"), ",")
    reasons = [row[6] for row in exceptions[1:]]
    cash = "The cash difference -SEK\xa0340.00 is over the threshold of SEK\xa050.00."
    assert any(r.startswith(cash) for r in reasons), reasons


def test_the_grid_as_xlsx_has_numbers_and_dates(company, client, auth) -> None:
    auth.login("sv@x.se")
    body = _get(client, company, "grid.xlsx")
    ws = load_workbook(io.BytesIO(body)).active
    assert [c.value for c in ws[1]][:3] == ["Butik", "Namn", "Datum"]
    day, closures, pos = ws["C2"], ws["E2"], ws["F2"]
    assert day.is_date and isinstance(day.value, datetime) and day.value.date() >= MONTH
    assert isinstance(closures.value, int) and isinstance(pos.value, int | float)
    assert pos.number_format == "#,##0.00"
    exceptions = load_workbook(io.BytesIO(_get(client, company, "exceptions.xlsx"))).active
    assert exceptions["A1"].value == "Butik" and exceptions.max_row > 1


def test_an_unknown_export_or_format_is_not_found(company, client, auth) -> None:
    auth.login("sv@x.se")
    base = f"/c/{company.id}/dashboard/export"
    assert client.get(f"{base}/other.csv").status_code == 404
    assert client.get(f"{base}/grid.pdf").status_code == 404
