"""Approvals page, retry with a polling status, notes: who may, and what htmx gets back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session

from app.closures.models import ClosureState
from app.posting import state
from tests.factories import make_user
from tests.posting.conftest import fixture

S = ClosureState
HX = {"HX-Request": "true"}


@pytest.fixture
def waiting(session: Session, books, receive):
    """Two closures awaiting approval (Invoice on, tips on invoices allowed: the SPEC example)."""
    books.approve_first = books.invoice = books.tip_on_invoice = True
    session.add(books)
    session.commit()
    one = receive(books, fixture("cafe-full-day"))
    even = {"expected": "600.00", "counted": "600.00"}
    two = receive(books, fixture("cash-overage", cash_count=even))
    return one, two


def test_approvals_preview_the_voucher_rows(client, auth, session, books, waiting) -> None:
    make_user(session, "acc@example.com", books, "accountant")
    auth.login("acc@example.com")
    page = client.get(f"/c/{books.id}/approvals", headers=HX)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" not in html
    for text in ("1910", "1,820.00", "12,890.03", "[KB:S12-Z457-r1]", "Approve all (2)"):
        assert text.replace(" ", "\u00a0") in html or text in html, text


@pytest.mark.parametrize("role", ["store_manager", "auditor"])
def test_only_accountants_and_admins_approve(client, auth, session, books, waiting, role) -> None:
    make_user(session, "x@example.com", books, role)
    auth.login("x@example.com")
    one, _ = waiting
    assert client.get(f"/c/{books.id}/approvals").status_code == 403
    assert client.post(f"/c/{books.id}/approvals/{one.id}/approve").status_code == 403
    session.refresh(one)
    assert one.state == S.AWAITING_APPROVAL


def test_approve_answers_the_status_fragment_and_audits(
    client, auth, session, books, waiting
) -> None:
    from app.audit.models import AuditEvent

    make_user(session, "acc@example.com", books, "accountant")
    auth.login("acc@example.com")
    one, two = waiting
    answer = client.post(f"/c/{books.id}/approvals/{one.id}/approve", headers=HX)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and f'id="closure-status-{one.id}"' in html
    assert 'hx-trigger="load delay:1s"' in html  # queued: it polls
    assert "closure-changed" in answer.headers["HX-Trigger"]
    session.refresh(one)
    assert one.state == S.QUEUED
    events = session.query(AuditEvent).filter_by(action="closure.approved").all()
    assert [e.target for e in events] == [f"closure:{one.id}"]
    client.post(f"/c/{books.id}/approvals/approve-all")
    session.refresh(two)
    assert two.state == S.QUEUED


def test_store_manager_retries_own_store_only(client, auth, session, books, receive) -> None:
    from app.companies.models import Store

    s12 = session.query(Store).filter_by(store_id="S12").one()
    s20 = session.query(Store).filter_by(store_id="S20").one()
    make_user(session, "sm@example.com", books, "store_manager", stores=[s20])
    closure = receive(books, fixture("cafe-full-day"))
    assert closure.store_pk == s12.id
    state.move(session, closure, S.POSTING)
    state.move(session, closure, S.FAILED, reason="boom")
    session.commit()
    auth.login("sm@example.com")
    assert client.post(f"/c/{books.id}/closures/{closure.id}/retry", headers=HX).status_code == 404
    closure.store_pk = s20.id
    session.add(closure)
    session.commit()
    answer = client.post(f"/c/{books.id}/closures/{closure.id}/retry", headers=HX)
    assert answer.status_code == 200
    assert 'hx-trigger="load delay:1s"' in answer.get_data(as_text=True)
    session.refresh(closure)
    assert closure.state == S.QUEUED


def test_finished_status_stops_polling_and_a_note_releases_a_hold(
    client, auth, session, books, receive
) -> None:
    books.cash_threshold = Decimal("5.00")
    session.add(books)
    session.commit()
    closure = receive(books, fixture("cash-overage"))
    make_user(session, "acc@example.com", books, "accountant")
    auth.login("acc@example.com")
    held = client.get(f"/c/{books.id}/closures/{closure.id}/status", headers=HX)
    html = held.get_data(as_text=True)
    assert "hx-trigger" not in html and "threshold" in html
    noted = client.post(
        f"/c/{books.id}/closures/{closure.id}/note", data={"note": "Counted twice"}, headers=HX
    )
    assert 'hx-trigger="load delay:1s"' in noted.get_data(as_text=True)
    session.refresh(closure)
    assert (closure.state, closure.note) == (S.QUEUED, "Counted twice")
