"""A revision after posting cancels the old invoices and orders, or holds for the accountant."""

from __future__ import annotations

import pytest

from app.closures.models import ClosureState
from app.posting import revisions
from app.posting.documents import documents_of
from app.posting.models import DocState
from app.posting.reasons import english
from tests.posting.conftest import fixture
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401
from tests.sandbox_fixtures import (  # noqa: F401
    CLIENT_ID,
    CLIENT_SECRET,
    SCOPE,
    fortnox_company,
    sandbox,
)

S = ClosureState


def _read(books, path: str) -> dict:
    """GET a document as the tenant's bookkeeper (its own client: Kassabok's budget untouched)."""
    return books.fortnox("GET", path)


def _first_and_second(app, session, books, receive, *, use_order: bool = False, book=None):
    """Revision 1 posted with its document (then book(number) run), revision 2 received."""
    company = books.company
    company.invoice = company.tip_on_invoice = company.auto_correct = True
    company.use_order = use_order
    session.add(company)
    session.commit()
    first = receive(company, fixture("cafe-full-day"))
    drain(app, session)
    session.refresh(first)
    assert first.state == S.POSTED, first.state_reason
    (doc,) = documents_of(session, first.id)
    assert doc.state == DocState.CREATED and doc.number
    if book is not None:
        book(doc.number)
    second = receive(company, fixture("cafe-full-day", revision=2))
    drain(app, session)
    session.refresh(first)
    session.refresh(second)
    return first, second, doc.number


@pytest.mark.parametrize("kind", ["invoice", "order"])
def test_the_old_document_is_cancelled_and_the_new_revision_posts(
    app, session, books, receive, kind: str
) -> None:
    first, second, number = _first_and_second(
        app, session, books, receive, use_order=kind == "order"
    )
    assert first.reversal_number is not None
    assert second.state == S.POSTED, second.state_reason
    wrap = "Order" if kind == "order" else "Invoice"
    assert _read(books, f"{kind}s/{number}")[wrap]["Cancelled"] is True
    assert [d.state for d in documents_of(session, first.id)] == [DocState.CANCELLED]
    (new,) = documents_of(session, second.id)
    assert new.state == DocState.CREATED and new.number != number
    assert _read(books, f"{kind}s/{new.number}")[wrap]["Cancelled"] is False


def test_a_bookkept_invoice_holds_the_new_revision_until_the_accountant_corrects(
    app, session, books, receive
) -> None:
    def bookkeep(number: str) -> None:
        books.fortnox("PUT", f"invoices/{number}/bookkeep")

    first, second, number = _first_and_second(app, session, books, receive, book=bookkeep)
    assert first.reversal_number is not None  # the voucher is reversed all the same
    assert (second.state, second.hold_code) == (S.HELD, "correction_due")
    assert f"invoice {number} (bookkept)" in english(second.state_reason)
    assert "Credit them in Fortnox" in english(second.state_reason)
    invoice = _read(books, f"invoices/{number}")["Invoice"]
    assert invoice["Booked"] is True and invoice["Cancelled"] is False
    assert [d.state for d in documents_of(session, first.id)] == [DocState.BOOKED]

    assert revisions.request_correction(session, closure_pk=second.id, user=None) == "requested"
    session.commit()  # the accountant credited it by hand and clicks Correct
    drain(app, session)
    session.refresh(second)
    assert second.state == S.POSTED, second.state_reason
    assert [d.state for d in documents_of(session, first.id)] == [DocState.LEFT]
