"""A job's answer brings the board's cell, legend and chart along, as the page would show them."""

from __future__ import annotations

import re

from sqlmodel import select

from app.closures.models import Closure
from tests.reconcile.test_views import DAY, MONTH, _td, world  # noqa: F401

LEGEND = re.compile(r'id="legend-(\w+)".*?<span class="count">(\d+)</span>', re.S)
OOB = ' hx-swap-oob="true"'


def _part(html: str, start: str, end: str) -> str:
    """The first piece of html from start to the end tag after it."""
    at = html.index(start)
    return html[at : html.index(end, at) + len(end)]


def _legend(html: str) -> str:
    return _part(html, '<ul id="legend"', "</ul>")


def _counts(html: str) -> dict[str, int]:
    return {status: int(n) for status, n in LEGEND.findall(_legend(html))}


def _retry(session, client, company, board: str) -> str:  # type: ignore[no-untyped-def]
    failed = session.exec(select(Closure).where(Closure.state == "failed")).one()
    answer = client.post(
        f"/c/{company.id}/dashboard/closures/{failed.id}/retry",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost" + board},
    )
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_a_retry_answers_the_legend_and_chart_of_the_page_out_of_band(
    world,  # noqa: F811
    session,
    client,
    auth,
) -> None:
    company, _stores = world
    auth.login("mgr@x.se")  # S03 alone, whose day 6 failed
    board = f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}"
    before = client.get(board).get_data(as_text=True)
    assert _counts(before)["failed"] == 1 and f"{DAY(6)} · Failed: 1" in before

    html = _retry(session, client, company, board)

    legend = _legend(html)
    assert legend.startswith('<ul id="legend" class="recon-legend" aria-label="Legend"' + OOB)
    counts = _counts(html)
    assert counts["failed"] == 0 and sum(counts.values()) == sum(_counts(before).values())
    page = client.get(board).get_data(as_text=True)  # one partial: what a reload would show
    assert legend.replace(OOB, "", 1) == _legend(page)
    svg = _part(html, '<svg id="chart-svg"', "</svg>")
    assert OOB in svg and f"{DAY(6)} · Failed: 1" not in svg
    assert svg.replace(OOB, "", 1) == _part(page, '<svg id="chart-svg"', "</svg>")
    figures = _part(html, '<table id="chart-figures"', "</table>")
    assert figures.replace(OOB, "", 1) == _part(page, '<table id="chart-figures"', "</table>")
    cell = _td(html, f"cell-S03-{DAY(6)}")
    assert "st-failed" not in cell and cell.replace(' hx-swap-oob="outerHTML"', "") == _td(
        page, f"cell-S03-{DAY(6)}"
    )


def test_the_answer_keeps_the_boards_filter(world, session, client, auth) -> None:  # noqa: F811
    company, _stores = world
    auth.login("acc@x.se")
    board = f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}&status=failed&store="
    html = _retry(session, client, company, board)
    assert 'class="legend-item st-failed is-current"' in _legend(html)
    assert "&amp;status=&amp;store=" in _part(html, 'id="legend-failed"', ">")  # unfilters
    assert "is-dim" in _td(html, f"cell-S03-{DAY(6)}")  # no longer failed: dimmed like its row
    assert _counts(html)["failed"] == 0


def test_no_board_no_out_of_band_parts(world, client, auth) -> None:  # noqa: F811
    company, _stores = world
    auth.login("acc@x.se")
    progress = f"/c/{company.id}/dashboard/cell/S03/{DAY(6)}/progress"
    for shown, parts in (
        (f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}", 5),  # cell, legend, bulk, SVG, table
        (f"/c/{company.id}/dashboard/cell/S03/{DAY(6)}", 0),  # the day's own page
        (f"/c/{company.id}/dashboard?month=2001-01", 0),  # another month
    ):
        headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost" + shown}
        html = client.get(progress, headers=headers).get_data(as_text=True)
        assert 'id="panel-body"' in html
        assert html.count("hx-swap-oob") == parts, shown


def test_polls_while_working_leave_the_board_alone(world, session, client, auth) -> None:  # noqa: F811
    """Only the answer that ends the work builds the month's grid; a poll sends the panel."""
    company, _stores = world
    auth.login("acc@x.se")
    failed = session.exec(select(Closure).where(Closure.state == "failed")).one()
    failed.state = "queued"  # the retry's post job has not run yet
    session.add(failed)
    session.commit()
    board = f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}"
    answer = client.get(
        f"/c/{company.id}/dashboard/cell/S03/{DAY(6)}/progress",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost" + board},
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "hx-trigger" in html  # still polling
    assert 'id="legend"' not in html and 'id="chart-svg"' not in html and OOB not in html
