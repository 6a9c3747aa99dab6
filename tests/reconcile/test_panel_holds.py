"""A held day's panel: its closures listed with why, what to do and a link, never an empty table."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app.closures.models import Closure
from app.posting.reasons import Reason, encode
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month
from tests.reconcile.test_views import DAY, MONTH

HX = {"HX-Request": "true"}


@pytest.fixture
def world(app, session):  # type: ignore[no-untyped-def]
    """The seeded month (S02's 8th held, S03's 6th failed) and an English accountant."""
    company = make_company(session)
    stores = seed_month(session, company, 4, MONTH, days=12)
    make_user(session, "acc@x.se", company, "accountant")
    return company, stores


def _held(session) -> Closure:  # type: ignore[no-untyped-def]
    held = session.exec(
        select(Closure).where(Closure.state == "held", Closure.hold_code == "")
    ).one()
    held.state_reason = encode([Reason("unmapped_payment_method", {"method": "AMEX"})])
    held.hold_code = "unmapped_payment_method"
    held.state_version += 1  # held again since the last check: its own reason is read
    session.add(held)
    session.commit()
    return held


def _panel(client, company, store: str, day: int) -> str:  # type: ignore[no-untyped-def]
    url = f"/c/{company.id}/dashboard/cell/{store}/{DAY(day)}"
    return client.get(url, headers=HX).get_data(as_text=True)


def _bodies(html: str) -> list[str]:
    return re.findall(r"<tbody>(.*?)</tbody>", html, re.S)


def test_a_held_day_lists_its_closure_with_reason_and_fix(world, session, client, auth) -> None:
    company, _stores = world
    held = _held(session)
    make_user(session, "sv@x.se", company, "accountant", locale="sv")
    auth.login("sv@x.se")
    html = _panel(client, company, "S02", 8)
    table = html[html.index('class="table table--dense recon-unposted"') :]
    table = table[: table.index("</table>")]
    assert f'href="/c/{company.id}/closures/{held.id}">Z{held.z_number}</a>' in table
    assert "Betalsättet AMEX har inget konto i konteringen." in table
    assert "Kontera betalsättet AMEX mot ett konto på konteringssidan" in table
    assert f'href="/c/{company.id}/mapping/">Åtgärda konteringen' in table
    assert "Dagens avslut som inte finns i Fortnox" in html
    assert all("<tr" in body for body in _bodies(html)), "a table with only its header"
    assert "✓ lika" not in html  # nothing was compared: the day is not "equal"
    assert "tillstånd: held" not in html  # the state in words too


def test_a_failed_day_links_its_closure_a_matched_day_none(world, session, client, auth) -> None:
    company, _stores = world
    failed = session.exec(select(Closure).where(Closure.state == "failed")).one()
    auth.login("acc@x.se")
    html = _panel(client, company, "S03", 6)
    assert "Closures of the day not in Fortnox" in html
    assert "Fortnox did not answer after 6 attempts." in html  # an old free text, kept
    assert f'href="/c/{company.id}/closures/{failed.id}">Open the closure' in html
    matched = _panel(client, company, "S01", 1)
    assert "recon-unposted" not in matched
    assert all("<tr" in body for body in _bodies(matched)) and "✓ equal" in matched


def test_the_exceptions_csv_gives_a_hold_in_words_not_codes(world, session, client, auth) -> None:
    company, _stores = world
    _held(session)
    make_user(session, "sv@x.se", company, "accountant", locale="sv")
    auth.login("sv@x.se")
    csv = client.get(f"/c/{company.id}/dashboard/export/exceptions.csv?month={MONTH:%Y-%m}")
    text = csv.get_data(as_text=True)
    # The reader's language: a person opens it in a spreadsheet (the APIs stay English).
    assert "Betalsättet AMEX har inget konto i konteringen." in text, text
    assert "Payment method" not in text
    assert '"code"' not in text and "unmapped_payment_method" not in text
