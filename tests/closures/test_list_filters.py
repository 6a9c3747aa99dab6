"""The closures list: amounts, search, days, the board's status, export of what is shown (15.16)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from app.closures.models import ClosureState
from app.reconcile.models import ClosureCheck
from tests.auth.world import sign_in_fast
from tests.factories import make_company, make_store, make_user
from tests.reports.sample import add_closure, variant

HTMX = {"HX-Request": "true"}
ROW = re.compile(r"<td[^>]*>(S\d) · \w+</td>\s*<td[^>]*>R1</td>\s*<td[^>]*>Z(\d+)")
FIRST = date(2026, 11, 1)


@pytest.fixture
def shop(app, session, client):
    """Two stores, ten days each, with a correction due, a mismatch and a held day; sv reader."""
    company = make_company(session, "Listan AB", "556000-0047")
    one = make_store(session, company, "S1", "Ett")
    harbour = make_store(session, company, "S2", "Hamnen")
    made = {}
    for n in range(10):
        for store in (one, harbour):
            payload = variant(store, FIRST + timedelta(n), 100 + n, 1)
            made[(store.store_id, n)] = add_closure(
                session, company, store, payload, voucher=n + 1, events=False
            )
    due = made[("S1", 3)]
    due.state, due.hold_code = ClosureState.HELD, "correction_due"
    held = made[("S2", 4)]
    held.state, held.hold_code = ClosureState.HELD, "unmapped"
    off = made[("S1", 5)]
    session.add(
        ClosureCheck(
            company_id=company.id,
            closure_pk=off.id,
            business_date=off.business_date,
            store_code="S1",
            status="mismatch",
            state_version=off.state_version,
        )
    )
    waiting = made[("S2", 6)]
    waiting.state = ClosureState.AWAITING_APPROVAL
    session.add_all([due, held, waiting])
    session.commit()
    make_user(session, "acc@listan.test", company, "accountant", locale="sv")
    sign_in_fast(app, client, "acc@listan.test")
    return company, made


def _rows(html: str) -> list[tuple[str, int]]:
    """(store, Z number) of each listed closure, in order."""
    return [(s, int(z)) for s, z in ROW.findall(html)]


def _list(client, company, query: str = "", **headers) -> str:
    return client.get(f"/c/{company.id}/closures{query}", headers=headers).get_data(as_text=True)


def test_each_row_shows_its_amounts_right_aligned_in_the_readers_locale(client, shop) -> None:
    company, _made = shop
    html = _list(client, company, "?store=&q=Z100")
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    # The café day: gross 13 400,00, VAT 1 689,02, cash counted 20,00 short (Swedish minus sign).
    amount = '<td class="num" data-label="{}">{}</td>'
    assert amount.format("Bruttoförsäljning (SEK)", "13\xa0400,00") in row
    assert amount.format("Moms (SEK)", "1\xa0689,02") in row
    assert amount.format("Kassadifferens (SEK)", "\u221220,00") in row
    assert "Bruttoförsäljning (SEK)" in html and 'class="num">Moms (SEK)' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=Hamnen", {("S2", 100 + n) for n in range(10)}),  # the store's name
        ("?q=s1", {("S1", 100 + n) for n in range(10)}),  # its code, any case
        ("?q=Z104", {("S1", 104), ("S2", 104)}),  # a Z number
        ("?q=104", {("S1", 104), ("S2", 104)}),
        ("?q=opn-7731:S2:R1:Z107", {("S2", 107)}),  # a closure id
        ("?q=R1&from=2026-11-09", {("S1", 108), ("S1", 109), ("S2", 108), ("S2", 109)}),
        ("?from=2026-11-02&to=2026-11-03", {("S1", 101), ("S1", 102), ("S2", 101), ("S2", 102)}),
        ("?q=100%25", set()),  # % is a character, not a wildcard
    ],
)
def test_search_and_days_narrow_the_list(client, shop, query, expected) -> None:
    company, _made = shop
    assert set(_rows(_list(client, company, query))) == expected


def test_the_status_is_the_boards_and_filters_the_list(client, session, shop) -> None:
    company, made = shop
    html = _list(client, company, "?status=superseded")
    assert _rows(html) == [("S1", 103)]  # held for its correction: the board's "correction due"
    assert 'data-status="superseded"' in html and "Rättelse väntar" in html
    assert _rows(_list(client, company, "?status=held")) == [("S2", 104)]
    assert _rows(_list(client, company, "?status=mismatch")) == [("S1", 105)]
    assert _rows(_list(client, company, "?status=awaiting_approval")) == [("S2", 106)]
    assert len(_rows(_list(client, company, "?status=matched"))) == 0  # never checked: pending
    assert len(_rows(_list(client, company, "?status=pending"))) == 17
    # A check of an earlier state no longer counts, as on the board.
    off = made[("S1", 5)]
    off.state_version += 1
    session.add(off)
    session.commit()
    assert _rows(_list(client, company, "?status=mismatch")) == []


def test_htmx_gets_the_rows_with_the_days_and_the_pager_keeps_the_filters(client, shop) -> None:
    company, _made = shop
    html = _list(client, company, "?q=S1&status=pending", **HTMX)
    assert "<html" not in html and 'id="closure-rows"' in html
    assert 'id="closure-dates" class="closure-filters__dates" hx-swap-oob="true"' in html
    html = _list(client, company, "?q=Hamnen&from=2026-11-02&to=2026-11-09&status=pending")
    query = "q=Hamnen&amp;status=pending&amp;from=2026-11-02&amp;to=2026-11-09"
    assert f"/c/{company.id}/closures/export.csv?{query}" in html
    assert 'value="Hamnen"' in html and '<option value="pending" selected>' in html
    assert 'id="filter-from" name="from" value="2026-11-02"' in html


def test_a_date_that_cannot_be_read_is_said_beside_its_field(client, shop) -> None:
    company, _made = shop
    html = _list(client, company, "?from=2026-13-40&to=2026-11-05")
    assert 'aria-invalid="true" aria-describedby="filter-from-error"' in html
    assert 'id="filter-from-error"' in html and "ÅÅÅÅ-MM-DD" in html
    assert len(_rows(html)) == 10  # the readable day still filters: up to 5 November
    html = _list(client, company, "?from=2026-11-05&to=2026-11-01", **HTMX)
    assert 'aria-describedby="filter-to-error"' in html and "före första dagen" in html


def test_export_holds_the_filtered_selection_for_swedish_excel(client, shop) -> None:
    company, _made = shop
    query = "q=Hamnen&from=2026-11-06&to=2026-11-07"
    answer = client.get(f"/c/{company.id}/closures/export.csv?{query}")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    text = answer.get_data(as_text=True)
    assert text.startswith("\ufeffAffärsdag;Butik;Butiksnamn;")
    lines = text.strip().split("\r\n")
    assert len(lines) == 3  # the heading and the two days asked for, every page of them
    assert lines[1].startswith("2026-11-07;S2;Hamnen;R1;106;opn-7731:S2:R1:Z106;1;Väntar;")
    assert lines[2].startswith("2026-11-06;S2;Hamnen;R1;105;opn-7731:S2:R1:Z105;1;Väntar;")
    assert ";13400,00;1689,02;-20,00;A 6;" in lines[2]
    assert "Parkerade" not in text  # the held S2 Z104 is a day outside the range
    held = client.get(f"/c/{company.id}/closures/export.xlsx?status=held")
    sheet = load_workbook(io.BytesIO(held.get_data())).active
    assert [c.value for c in sheet[2]][1:5] == ["S2", "Hamnen", "R1", 104]
    assert sheet.max_row == 2
    assert client.get(f"/c/{company.id}/closures/export.pdf").status_code == 404


def test_a_store_manager_sees_and_exports_only_their_store(app, client, session, shop) -> None:
    company, made = shop
    harbour = made[("S2", 0)].store_pk
    from app.companies.models import Store

    stores = [session.get(Store, harbour)]
    make_user(session, "mgr@listan.test", company, "store_manager", stores=stores)
    sign_in_fast(app, client, "mgr@listan.test")
    assert {s for s, _z in _rows(_list(client, company))} == {"S2"}
    text = client.get(f"/c/{company.id}/closures/export.csv?q=S1").get_data(as_text=True)
    assert len(text.strip().split("\r\n")) == 1  # the heading alone
