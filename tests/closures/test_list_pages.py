"""The closure list comes in pages of 50, newest first, with its count; nothing is left off."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.auth.world import sign_in_fast
from tests.factories import make_company, make_store, make_user
from tests.reports.sample import add_closure, variant

HTMX = {"HX-Request": "true"}
FIRST = date(2026, 1, 1)


@pytest.fixture
def shop(app, session, client):
    """120 days of one store's closures, the last 3 held, and a signed-in accountant (sv)."""
    company = make_company(session, "Sidor AB", "556000-0039")
    store = make_store(session, company, "S1", "Ett")
    for n in range(120):
        state = "held" if n >= 117 else "posted"
        add_closure(
            session,
            company,
            store,
            variant(store, FIRST + timedelta(n), n + 1, 1),
            state,
            events=False,
        )
    session.commit()
    make_user(session, "acc@sidor.test", company, "accountant", locale="sv")
    sign_in_fast(app, client, "acc@sidor.test")
    return company, store


def _z(html: str) -> list[int]:
    """The Z numbers of the listed closures, in order."""
    return [int(z) for z in re.findall(r"<td[^>]*>Z(\d+)</td>", html)]


def test_every_closure_is_on_some_page_once(client, shop) -> None:
    company, _store = shop
    seen = []
    url = f"/c/{company.id}/closures"
    for number in (1, 2, 3):
        html = client.get(f"{url}?page={number}").get_data(as_text=True)
        assert "120 dagsavslut" in html
        seen += _z(html)
    assert seen == list(range(120, 0, -1))  # newest first, none twice, none missing
    html = client.get(f"{url}?page=2").get_data(as_text=True)
    assert "visar 51–100, sida 2 av 3" in html
    assert f'rel="prev" href="{url}"' in html and f'rel="next" href="{url}?page=3"' in html


def test_a_page_past_the_end_shows_the_last(client, shop) -> None:
    company, _store = shop
    html = client.get(f"/c/{company.id}/closures?page=99").get_data(as_text=True)
    assert _z(html) == list(range(20, 0, -1)) and 'rel="next"' not in html


def test_pages_keep_the_filters_and_htmx_gets_the_rows_alone(client, shop) -> None:
    company, store = shop
    url = f"/c/{company.id}/closures?store={store.id}&state=held"
    html = client.get(url, headers=HTMX).get_data(as_text=True)
    assert "<html" not in html and _z(html) == [120, 119, 118]
    assert "3 dagsavslut" in html and "pager__links" not in html  # one page: no links
    html = client.get(f"/c/{company.id}/closures?store={store.id}").get_data(as_text=True)
    assert f'href="/c/{company.id}/closures?store={store.id}&amp;page=2"' in html


def test_refused_payloads_say_how_many_are_not_shown(client, session, shop, monkeypatch) -> None:
    """The refused list shows the newest; when more wait, it says how many there are."""
    from functools import partial

    from app.closures import refused
    from app.closures.problems import Problem

    company, _store = shop
    for n in range(3):
        problem = Problem("/z_number", f"Z {n} is not a number.")
        refused.keep_refused(
            session, company=company, raw=b"{}", source="api", status_code=422, problems=[problem]
        )
    session.commit()
    assert [
        len(i) if isinstance(i, list) else i for i in refused.list_refused(session, company)
    ] == [3, 3]
    monkeypatch.setattr(refused, "list_refused", partial(refused.list_refused, limit=2))
    html = client.get(f"/c/{company.id}/closures/rejected").get_data(as_text=True)
    assert "De 2 senaste av 3 visas" in html
