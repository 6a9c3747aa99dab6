"""CSV exports: text a spreadsheet would run as a formula goes out with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlmodel import select

from app.closures.models import Closure
from app.companies.models import Store
from app.csvsafe import safe_cell
from app.exports import Column, to_csv
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month

MONTH = date.today().replace(day=1)
HOSTILE = ["=cmd|' /C calc'!A0", "+1+cmd|x", "-2+3+cmd|x", "@SUM(1+1)*cmd|x", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_start_is_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-12.50", "+3", "-0.03", "12", "S01", "", 5, None, "a=b"])
def test_numbers_and_plain_text_are_untouched(value: object) -> None:
    assert safe_cell(value) == value


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_to_csv_makes_header_and_every_row_safe() -> None:
    columns = [Column("=h"), Column("n")]
    rows = _cells(to_csv(columns, [["@x", "-1.00"], ["ok", "\tt"]], "en"))
    assert rows == [["'=h", "n"], ["'@x", "-1.00"], ["ok", "'\tt"]]


@pytest.fixture
def hostile_world(app, session):  # type: ignore[no-untyped-def]
    company = make_company(session)
    seed_month(session, company, 2, MONTH, days=12)
    make_user(session, "aud@x.se", company, "auditor")
    store = session.exec(select(Store).where(Store.store_id == "S01")).one()
    store.name = HOSTILE[0]
    session.add(store)
    for closure in session.exec(select(Closure).where(Closure.store_code == "S01")).all():
        closure.closure_id = HOSTILE[3] + closure.closure_id
        session.add(closure)
    session.commit()
    return company


def test_both_exports_carry_no_formula(hostile_world, client, auth) -> None:
    auth.login("aud@x.se")
    base = f"/c/{hostile_world.id}/dashboard/export"
    grid = _cells(client.get(f"{base}/grid.csv?month={MONTH:%Y-%m}").get_data(as_text=True))
    exceptions = client.get(f"{base}/exceptions.csv?month={MONTH:%Y-%m}")
    rows = _cells(exceptions.get_data(as_text=True))
    assert any(row[1] == "'" + HOSTILE[0] for row in grid[1:])
    assert any(row[2].startswith("'" + HOSTILE[3]) for row in rows[1:])
    for row in grid + rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or cell.replace(".", "").lstrip("-").isdigit(), cell
