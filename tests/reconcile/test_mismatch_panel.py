"""The day panel: each difference an amount, with a totals row; a refused form errs by its field."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app.audit.models import AuditEvent
from app.closures.models import Closure
from app.reconcile.models import Review
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month
from tests.reconcile.test_views import DAY, MONTH

HX = {"HX-Request": "true"}


@pytest.fixture
def world(app, session):  # type: ignore[no-untyped-def]
    """The seeded month (S01's 3rd: +100 on one account, -100 on 3001) and its readers."""
    company = make_company(session)
    stores = seed_month(session, company, 4, MONTH, days=12)
    make_user(session, "sv@x.se", company, "accountant", locale="sv")
    make_user(session, "en@x.se", company, "accountant")
    make_user(session, "mgr@x.se", company, "store_manager", stores=[stores[1]])
    return company


def _panel(client, company, store: str = "S01", day: int = 3) -> str:  # type: ignore[no-untyped-def]
    answer = client.get(f"/c/{company.id}/dashboard/cell/{store}/{DAY(day)}", headers=HX)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def _table(html: str, css: str) -> str:
    start = html.index(css)
    return html[start : html.index("</table>", start)]


def test_each_difference_is_an_amount_in_the_readers_locale_with_a_totals_row(
    world, client, auth
) -> None:
    auth.login("sv@x.se")
    html = _panel(client, world)
    rows = _table(html, 'class="table table--dense recon-rows"')
    assert "+100,00\xa0kr" in rows and "\u2212100,00\xa0kr" in rows
    assert "differs" not in rows and "≠" not in rows
    total = rows[rows.index("<tfoot>") :]
    assert "Summa" in total and "0,00\xa0kr" in total
    assert "2 konton skiljer sig; de tar ut varandra" in total
    day = _table(html, 'class="table table--dense recon-day-lines"')
    assert "+100,00\xa0kr" in day and "\u2212100,00\xa0kr" in day and "<tfoot>" in day
    auth.logout()
    auth.login("en@x.se")
    rows = _table(_panel(client, world), 'class="table table--dense recon-rows"')
    assert "+SEK\xa0100.00" in rows and "-SEK\xa0100.00" in rows
    assert "2 accounts differ; they cancel out" in rows


def test_a_manual_entry_shows_its_amounts_and_a_net_total(world, client, auth) -> None:
    auth.login("en@x.se")
    day = _table(_panel(client, world, "S04", 7), 'class="table table--dense recon-day-lines"')
    assert "+SEK\xa0120.00" in day and "-SEK\xa0120.00" in day


def test_an_empty_review_comment_is_refused_beside_the_field(world, session, client, auth) -> None:
    auth.login("sv@x.se")
    url = f"/c/{world.id}/dashboard/cell/S01/{DAY(3)}/review"
    answer = client.post(url, data={"comment": "   "}, headers=HX)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert html.lstrip().startswith("{# One store-day") or 'id="panel-body"' in html
    field = re.search(r'<input id="review-comment"[^>]*>', html)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert 'aria-describedby="review-comment-error"' in field.group(0)
    assert "autofocus" in field.group(0)
    error = html[html.index('id="review-comment-error"') :]
    assert "Skriv en kommentar: vad du har kontrollerat" in error.split("</p>")[0]
    assert html.index('id="review-comment"') < html.index('id="review-comment-error"')
    assert session.exec(select(Review)).first() is None
    assert not session.exec(
        select(AuditEvent).where(AuditEvent.action == "reconcile.reviewed")
    ).first()
    ok = client.post(url, data={"comment": "Flyttat för hand, stämt av med butiken."}, headers=HX)
    assert ok.status_code == 200
    html = ok.get_data(as_text=True)
    assert 'aria-invalid="true"' not in html
    assert "<strong>Sv</strong>" in html and "Flyttat för hand, stämt av med butiken." in html


def _cash_held(session, world) -> Closure:  # type: ignore[no-untyped-def]
    """S02's 8th held until a note says why the counted cash is 400.00 short."""
    closure = session.exec(
        select(Closure).where(Closure.state == "held", Closure.store_code == "S02")
    ).one()
    closure.hold_code = "cash_difference_over_threshold"
    closure.state_reason = "Cash difference -400.00 exceeds 50.00"
    closure.note = ""
    session.add(closure)
    session.commit()
    return closure


def test_a_held_day_waiting_for_a_note_asks_for_it_in_the_panel(
    world, session, client, auth
) -> None:
    closure = _cash_held(session, world)
    auth.login("mgr@x.se")
    html = _panel(client, world, "S02", 8)
    assert f'id="note-{closure.id}"' in html and "Note on the cash difference" in html
    assert ">Retry<" not in html  # a retry without the note would change nothing
    url = f"/c/{world.id}/dashboard/notes/{closure.id}"
    refused = client.post(url, data={"note": ""}, headers=HX)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    field = re.search(rf'<textarea id="note-{closure.id}"[^>]*>', html)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert f'aria-describedby="note-{closure.id}-error"' in field.group(0)
    assert "Write why the counted cash differs from the expected cash" in html
    session.expire_all()
    assert session.get(Closure, closure.id).note == ""
    saved = client.post(url, data={"note": "Växel lämnad till banken."}, headers=HX)
    assert saved.status_code == 200
    session.expire_all()
    after = session.get(Closure, closure.id)
    assert after.note == "Växel lämnad till banken."
    assert after.hold_code != "cash_difference_over_threshold"  # checked again at once
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "closure.note")).one()


def test_only_fixers_of_the_store_may_write_the_note(world, session, client, auth) -> None:
    closure = _cash_held(session, world)
    make_user(session, "aud@x.se", world, "auditor")
    auth.login("aud@x.se")
    url = f"/c/{world.id}/dashboard/notes/{closure.id}"
    assert client.post(url, data={"note": "x"}, headers=HX).status_code == 403
    assert 'id="note-' not in _panel(client, world, "S02", 8)
