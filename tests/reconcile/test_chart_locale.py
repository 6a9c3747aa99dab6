"""The month chart's axis, unit and tooltips in the reader's locale, no raw status codes."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from app.reconcile.chart import Bar, month_chart
from app.reconcile.grid import month_grid
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month

MONTH = date.today().replace(day=1)


@pytest.fixture
def company(app, session):  # type: ignore[no-untyped-def]
    company = make_company(session)
    seed_month(session, company, 4, MONTH, days=12)
    make_user(session, "sv@x.se", company, "accountant", locale="sv")
    make_user(session, "en@x.se", company, "accountant", locale="en")
    return company


def _svg(client, company) -> str:  # type: ignore[no-untyped-def]
    page = client.get(f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}").get_data(as_text=True)
    return page[page.index('<svg id="chart-svg"') : page.index("</svg>")].replace("\xa0", " ")


def test_the_chart_keeps_amounts_as_numbers(company, session) -> None:
    chart = month_chart(month_grid(session, company, None, MONTH))
    assert all(isinstance(amount, Decimal) for _y, amount in chart.ticks)
    assert chart.ticks[0][1] == 0 and chart.ticks[-1][1] == chart.top
    assert Bar(1.04, 2, 3, 4, "pos", MONTH).x == 1.0  # geometry to a tenth


@pytest.mark.parametrize(
    ("email", "unit", "thousands", "status"),
    [
        ("sv@x.se", "kr", r"\d+(,\d)? tn", "Misslyckade"),
        ("en@x.se", "SEK", r"\d+(\.\d)?K", "Failed"),
    ],
)
def test_axis_unit_and_tooltips_read_in_the_locale(  # type: ignore[no-untyped-def]
    company, client, auth, email, unit, thousands, status
) -> None:
    auth.login(email)
    svg = _svg(client, company)
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', svg)
    assert 'class="tick tick--unit"' in svg and f">{unit}</text>" in svg
    assert any(re.fullmatch(thousands, t) for t in ticks), ticks
    assert not any(re.fullmatch(r"\d+(\.\d)?k", t) for t in ticks)  # the old English-only "12.5k"
    day = MONTH.replace(day=6).isoformat()
    assert f"<title>{day} · {status}: 1</title>" in svg  # S03's failed day, in words
    pos = re.search(rf"<title>{day} · [^:]+: ([^<]+)</title>", svg)
    assert pos and (pos.group(1).endswith(" kr") if unit == "kr" else "SEK " in pos.group(1))
    assert " failed " not in svg and "st-failed 1" not in svg
