"""Every change that can clear a hold releases the held closures at once: no Retry click."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import select

from app.closures.models import ClosureState
from app.fortnox import preflight
from app.fortnox.models import FortnoxConnection
from app.mapping import service as mappings
from app.mapping.rechecks import after_change
from app.posting import service
from tests.posting.conftest import fixture, mapping_data
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401
from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401

S = ClosureState


def _map_amex(session, company, account: str) -> None:
    """Save the BAS mapping with AMEX on account through the mapping service, as the page does."""
    data = mapping_data(stores={})
    data["payment_methods"]["AMEX"] = account
    mappings.save_mapping(session, company=company, data=data, user=None)
    session.commit()  # pre-flight runs after the commit, then re-checks what it may release


def _held_by_a_missing_account(app, session, books, receive):
    """S14's cost center inactive (stays red) and AMEX on 9999: an S12 closure held for it."""
    books.fortnox("PUT", "costcenters/S14", {"CostCenter": {"Active": False}})
    _map_amex(session, books.company, "9999")
    closure = receive(books.company, fixture("cafe-full-day"))  # store S12, no AMEX in it
    drain(app, session)
    session.refresh(closure)
    assert (closure.state, closure.hold_code) == (S.HELD, "preflight_failed")
    assert "9999" in closure.state_reason
    return closure


def test_a_mapping_save_releases_a_closure_held_by_pre_flight(app, session, books, receive) -> None:
    closure = _held_by_a_missing_account(app, session, books, receive)
    _map_amex(session, books.company, "1580")
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED, closure.state_reason


def test_a_pre_flight_run_releases_what_its_red_lines_no_longer_stop(
    app, session, books, receive
) -> None:
    closure = _held_by_a_missing_account(app, session, books, receive)
    books.fortnox("POST", "accounts", {"Account": {"Number": 9999, "Description": "AMEX"}})
    with app.app_context():
        lines = preflight.run_and_store(books.company.id)
    assert not all(c.ok for c in lines)  # S14's cost center is still red: not S12's business
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED, closure.state_reason


def test_a_settings_save_releases_at_once(app, session, books, receive) -> None:
    from app.companies.configure import apply_settings

    company = books.company
    company.invoice = True
    session.add(company)
    session.commit()
    closure = receive(company, fixture("tip-on-invoice", store_id="S12"))
    assert closure.hold_code == "tip_on_invoice_not_allowed"
    apply_settings(session, company=company, changes={"tip_on_invoice": True}, user=None)
    session.commit()
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED, closure.state_reason


def test_reconnecting_releases_at_once(app, session, books, receive) -> None:
    query = select(FortnoxConnection).where(FortnoxConnection.company_id == books.company.id)
    conn = session.exec(query).one()
    conn.status = "lost"
    session.add(conn)
    session.commit()
    closure = receive(books.company, fixture("cafe-full-day"))
    assert closure.hold_code == "auth_lost"
    conn.status = "connected"  # what connect.complete stores; the callback then calls:
    session.add(conn)
    after_change(session, books.company.id)
    session.commit()
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED, closure.state_reason


def test_a_note_releases_at_once(app, session, books, receive) -> None:
    books.company.cash_threshold = Decimal("10.00")
    session.add(books.company)
    session.commit()
    closure = receive(books.company, fixture("cash-overage"))
    assert closure.hold_code == "cash_difference_over_threshold"
    service.add_note(session, closure_pk=closure.id, user=None, note="Tip jar counted in")
    session.commit()
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED, closure.state_reason
