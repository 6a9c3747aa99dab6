"""The Z-chain's breaks on the month board: the store-day's cell, the legend, a strip per register,
the day's panel and the overview's needs-attention list; explained breaks shown as explained."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from app.evidence import breaks, texts
from app.evidence.breaks import Finding
from app.reconcile.grid import shift
from tests.closures.ingest_support import bearer, body, make_token
from tests.evidence.support import day
from tests.factories import make_company, make_store, make_user

MONTH = shift(date.today().replace(day=1), -1)  # last month: every day of it has passed
ISO = lambda d: MONTH.replace(day=d).isoformat()  # noqa: E731


def _send(client, token: str, payload: dict) -> None:  # type: ignore[no-untyped-def]
    answer = client.post("/api/v1/closures", data=body(payload), headers=bearer(token),
                         content_type="application/json")  # fmt: skip
    assert answer.status_code == 201, answer.get_json()


@pytest.fixture
def world(client, auth, session: Session) -> tuple[Any, Finding, Finding]:
    """The accountant signed in. S12's register jumps on the 3rd (100.00 never reached us) and
    misses Z106 before the 5th (the jump and the gap returned); S14's runs unbroken."""
    company = make_company(session)
    make_store(session, company, "S12")
    s14 = make_store(session, company, "S14")
    token = make_token(session, company)
    for payload in (
        day(103, ISO(1), "500.00", "0", ("4000.00", "0.00")),
        day(104, ISO(2), "1000.00", "0", ("5000.00", "0.00")),
        day(105, ISO(3), "1000.00", "0", ("6100.00", "0.00")),  # a jump of 100.00
        day(107, ISO(5), "1000.00", "0", ("7600.00", "0.00")),  # Z106 sold 500.00
        day(1, ISO(2), store="S14"),
        day(2, ISO(3), store="S14"),
    ):
        _send(client, token, payload)
    make_user(session, "acc@x.se", company, "accountant")
    make_user(session, "mgr@x.se", company, "store_manager", stores=[s14])
    auth.login("acc@x.se")
    jump, gap = breaks.findings(session, company.id, MONTH, MONTH.replace(day=28))
    return company, jump, gap


def _cell(page: str, store: str, d: int) -> str:
    found = re.search(rf'<td id="cell-{store}-{ISO(d)}"[^>]*>.*?</td>', page)
    assert found, (store, d)
    return found.group(0)


def _board(client, company) -> str:  # type: ignore[no-untyped-def]
    answer = client.get(f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_a_break_marks_its_store_day_the_legend_and_the_registers_strip(client, world) -> None:
    company, *found = world
    page = _board(client, company)
    jump, gap = _cell(page, "S12", 3), _cell(page, "S12", 5)
    assert 'class="cell st-' in jump and " has-z" in jump and "is-explained" not in jump
    assert "; Z-chain: Grand total jump Z104–Z105</span>" in jump  # words, not colour alone
    assert '<span class="cell-z" aria-hidden="true" title="Z-chain: Z missing Z106">Z</span>' in gap
    for plain in (_cell(page, "S12", 2), _cell(page, "S14", 3), _cell(page, "S12", 4)):
        assert "has-z" not in plain and "Z-chain" not in plain
    chain_page = f"/c/{company.id}/evidence/chain?month={MONTH:%Y-%m}"
    legend = _legend(page)
    assert f'href="{chain_page}"' in legend and "is-broken" in legend
    assert 'Z-chain breaks <span class="count">2</span>' in legend
    # The strip: S12's register in runs and breaks, each break a link to its row on the chain page.
    strip = page[page.index('id="zchain"') :]
    assert f'<a href="{chain_page}">Z-chain: 2 breaks this month</a>' in strip
    for f in found:
        assert f'href="{chain_page}#{texts.anchor(f.brk)}"' in strip
    s12 = strip[strip.index("Store S12, register R1") : strip.index("</ol>")]
    assert [re.sub(r"\s+", " ", s).strip() for s in re.findall(r"</span> (Z[^<]*)</li>", s12)] == [
        "Z103–Z104",
        "Z107",
    ]
    assert "Z105\n" in s12 and "Grand total jump" in s12 and "Z106\n" in s12 and "Z missing" in s12
    assert "1 register unbroken" in strip and "Store S14, register R1" in strip


def test_an_explained_break_is_shown_as_explained_and_no_longer_counted(client, world) -> None:
    company, _jump, gap = world
    _explain(client, company, gap)
    page = _board(client, company)
    cell = _cell(page, "S12", 5)
    assert "has-z is-explained" in cell and "Z-chain, explained: Z missing Z106" in cell
    assert 'Z-chain breaks <span class="count">1</span>' in _legend(page)
    assert "Z-chain: 2 breaks this month, 1 of them explained" in page
    assert 'class="zseg zseg--break is-explained"' in page
    assert "is-explained" not in _cell(page, "S12", 3)


def test_the_days_panel_says_what_the_break_means_and_links_the_chain(client, world) -> None:
    company, jump, _gap = world
    cell = f"/c/{company.id}/dashboard/cell/S12/{ISO(3)}"
    panel = client.get(cell, headers={"HX-Request": "true"}).get_data(as_text=True)
    line = re.search(r'<p class="recon-zline">.*?</p>', panel, re.S)
    assert line, panel[:600]
    assert "Z-chain: Grand total jump Z104–Z105" in line.group(0)
    assert "rose" in line.group(0) and "more than Z105" in line.group(0)  # what it means
    href = f"/c/{company.id}/evidence/chain?month={MONTH:%Y-%m}#{texts.anchor(jump.brk)}"
    assert f'<a href="{href}">Open it on the Z-chain page</a>' in line.group(0)
    assert panel.index("recon-zline") < panel.index("recon-closure")  # under the heading
    plain = client.get(f"/c/{company.id}/dashboard/cell/S12/{ISO(2)}").get_data(as_text=True)
    assert "recon-zline" not in plain


def test_the_overview_lists_unexplained_breaks_to_the_ones_who_see_the_store(
    client, auth, world
) -> None:
    company, _jump, gap = world
    rows = re.findall(r"<tr>.*?</tr>", _attention(client), re.S)
    said = [r for r in rows if "Z-chain break" in r]
    assert len(said) == 2 and all(">S12<" in r for r in said), said
    cell = f"/c/{company.id}/dashboard/cell/S12/{ISO(5)}"
    assert f'href="{cell}">Find the missing Z-report, or explain' in said[1]
    page = client.get("/").get_data(as_text=True)
    assert "Nothing to do" not in page
    _explain(client, company, gap)
    said = [r for r in re.findall(r"<tr>.*?</tr>", _attention(client), re.S) if "Z-chain" in r]
    assert len(said) == 1 and ISO(5) not in said[0]  # the explained one is done with
    auth.logout()
    auth.login("mgr@x.se")  # S14's manager: S12's breaks are not theirs
    board = _board(client, company)
    assert "has-z" not in board and 'Z-chain breaks <span class="count">0</span>' in board
    assert "Z-chain: no breaks this month" in board and "Store S12" not in board
    assert "Z-chain break" not in client.get("/").get_data(as_text=True)


def _attention(client) -> str:  # type: ignore[no-untyped-def]
    page = client.get("/").get_data(as_text=True)
    return page[page.index('id="attention-title"') :]


def _legend(page: str) -> str:
    found = re.search(r'<a id="legend-zchain"[^>]*>.*?</a>', page, re.S)
    assert found, "no Z-chain in the legend"
    return found.group(0)


def _explain(client, company, finding: Finding) -> None:  # type: ignore[no-untyped-def]
    said = {"key": finding.brk.key, "month": f"{MONTH:%Y-%m}", "comment": "a training day"}
    assert client.post(f"/c/{company.id}/evidence/chain/explain", data=said).status_code == 303


def test_a_month_without_closures_shows_no_chain(client, world) -> None:
    company, *_found = world
    page = client.get(f"/c/{company.id}/dashboard?month={shift(MONTH, -3):%Y-%m}")
    text = page.get_data(as_text=True)
    assert 'id="zchain"' not in text and "legend-zchain" not in text
