"""The closure page (15.13, 15.12): labelled fields, right-aligned figures, errors beside the note,
the note kept after posting, the voucher linked to Fortnox."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.closures.models import Closure, ClosureState
from app.fortnox.models import FortnoxConnection
from tests.factories import make_user
from tests.posting.conftest import fixture

S = ClosureState
HX = {"HX-Request": "true"}
SPACE = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def held(session: Session, books, receive) -> Closure:
    """The café's 12.50 cash overage, held: the company allows 5.00 without a note."""
    books.cash_threshold = Decimal("5.00")
    session.add(books)
    session.commit()
    closure = receive(books, fixture("cash-overage"))
    assert closure.hold_code == "cash_difference_over_threshold"
    return closure


def _sign_in(session, auth, books, locale: str = "en") -> None:
    make_user(session, "acc@example.com", books, "accountant", locale=locale)
    auth.login("acc@example.com")


def _page(client, books, closure, **headers) -> str:
    return client.get(f"/c/{books.id}/closures/{closure.id}", headers=headers).get_data(
        as_text=True
    )


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
        ).all()
    )


def test_fields_are_labelled_and_figures_right_aligned(client, auth, session, books, held) -> None:
    _sign_in(session, auth, books)
    html = _page(client, books, held)
    note = f"note-{held.id}"
    assert f'<label class="field__label" for="{note}">Note on the cash difference</label>' in html
    assert f'<textarea class="input" id="{note}" name="note"' in html
    assert '<td class="num">25%</td>' in html and '<td class="num">12%</td>' in html
    assert '<td class="num">1,000.00</td>' in html  # gross of the 25 % line, in SEK
    row = html[html.index('id="cash-difference"') :]
    assert row.index("Cash difference") < row.index('<td class="num">SEK\xa012.50</td>') < 300
    assert '<button class="button button--primary" type="submit">Save note</button>' in html
    assert '<button class="button" type="submit">Retry</button>' in html


def test_a_swedish_reader_gets_swedish_percentages(client, auth, session, books, held) -> None:
    _sign_in(session, auth, books, locale="sv")
    html = _page(client, books, held)
    assert '<td class="num">25\xa0%</td>' in html and '<td class="num">12\xa0%</td>' in html
    assert "Kommentar till kassadifferensen</label>" in html
    assert '<td class="num">12,50\xa0kr</td>' in html


def test_an_empty_note_is_refused_beside_the_field(client, auth, session, books, held) -> None:
    _sign_in(session, auth, books)
    url = f"/c/{books.id}/closures/{held.id}/note"
    answer = client.post(url, data={"note": "   "}, headers=HX)
    html = answer.get_data(as_text=True)
    note = f"note-{held.id}"
    assert answer.status_code == 200 and "<html" not in html  # htmx swaps a 200 in place
    assert f'aria-describedby="{note}-hint {note}-error"' in html
    assert 'aria-invalid="true" autofocus' in html
    assert f'<p class="field__errors" id="{note}-error" role="alert">' in html
    assert "The note is empty." in html
    session.refresh(held)
    assert (held.state, held.note) == (S.HELD, "") and not _events(session, "closure.note")
    # Without JavaScript the whole page comes back, the error still beside the field.
    page = client.post(url, data={"note": ""})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "<html" in html and f'id="{note}-error"' in html and "The note is empty." in html


def test_a_retry_without_the_required_note_asks_for_it_beside_the_note(
    client, auth, session, books, held
) -> None:
    _sign_in(session, auth, books)
    answer = client.post(f"/c/{books.id}/closures/{held.id}/retry", headers=HX)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert f'id="note-{held.id}-error"' in html
    assert "Write a note on the cash difference of SEK\xa012.50 first" in html
    session.refresh(held)
    assert held.state == S.HELD and not _events(session, "closure.retry")
    client.post(f"/c/{books.id}/closures/{held.id}/note", data={"note": "Tips counted in"})
    session.refresh(held)
    assert held.state == S.QUEUED


def test_the_note_stays_read_only_after_posting_with_who_and_when(
    client, auth, session, books, held
) -> None:
    _sign_in(session, auth, books)
    client.post(f"/c/{books.id}/closures/{held.id}/note", data={"note": "Tips counted in"})
    session.refresh(held)
    held.state, held.voucher_series, held.voucher_number, held.voucher_year = S.POSTED, "A", 7, 1
    session.add(held)
    session.commit()
    html = _page(client, books, held)
    assert 'name="note"' not in html  # posted: nothing to edit
    read = html[html.index('<figure class="note-read"') :]
    read = read[: read.index("</figure>")]
    assert "Note on the cash difference" in read and "Tips counted in" in read
    assert "Written by Acc, " in read


def test_the_voucher_number_links_to_it_in_fortnox(app, client, auth, session, books, held) -> None:
    _sign_in(session, auth, books)
    held.state, held.voucher_series, held.voucher_number, held.voucher_year = S.POSTED, "A", 7, 1
    session.add(held)
    conn = session.exec(select(FortnoxConnection)).one()
    conn.database_number = "4711"
    session.add(conn)
    session.commit()
    with app.app_context():  # each request in an app context of its own, as when served
        assert "fortnox-link" not in _page(client, books, held)  # no address: the number alone
    conn.web_workspace = f"4711:{SPACE}"
    session.add(conn)
    session.commit()
    with app.app_context():
        html = _page(client, books, held)
    url = f"https://apps.fortnox.se/app/{SPACE}/bf/voucher/A-7"
    assert (
        f'<a class="fortnox-link" href="{url}" target="_blank" rel="noopener" '
        'aria-label="Voucher A 7 in Fortnox, opens in a new tab">A 7' in html
    )
    with app.app_context():
        listed = client.get(f"/c/{books.id}/closures").get_data(as_text=True)
    assert f'href="{url}"' in listed
    conn.database_number = "4712"  # connected to another Fortnox company: its address is unknown
    session.add(conn)
    session.commit()
    with app.app_context():
        assert url not in _page(client, books, held)
