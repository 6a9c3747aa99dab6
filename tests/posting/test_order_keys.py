"""Orders (and invoices) are ours only by their exact key: never adopt or cancel another's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.closures.models import ClosureState
from app.fortnox import api
from app.posting.dedupe import find_document, is_ours
from app.posting.documents import documents_of
from app.posting.models import DocState, PostedDocument
from app.reconcile import service as reconcile
from app.reconcile.models import FortnoxDocument
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
KEY = "KB:S12-Z457-r1:R1-104233"  # cafe-full-day's invoice sale
ROW = {"AccountNumber": 3002, "OrderedQuantity": 1, "DeliveredQuantity": 1, "Price": 10, "VAT": 12}


def test_only_the_exact_key_is_ours() -> None:
    assert is_ours({"ExternalInvoiceReference1": KEY}, KEY)
    assert not is_ours({}, KEY), "a list item without the key field is not ours"
    assert not is_ours({"ExternalInvoiceReference1": None}, KEY)
    assert not is_ours({"ExternalInvoiceReference1": KEY + "0"}, KEY), "a substring match"
    assert not is_ours({"YourOrderNumber": KEY}, KEY), "Fortnox neither lists nor searches it"


def _bookkeeper(books, method: str, path: str, body: dict | None = None) -> dict:
    """Fortnox's API as the tenant's own bookkeeper: a client of its own, not Kassabok's budget."""
    return books.fortnox(method, path, body)


def _make(books, kind: str, **fields) -> str:
    """An invoice or order the tenant's bookkeeper makes in Fortnox, not Kassabok."""
    day, rows = ("OrderDate", "OrderRows") if kind == "order" else ("InvoiceDate", "InvoiceRows")
    body = {"CustomerNumber": "1001", day: "2026-11-24", rows: [ROW], **fields}
    wrap = kind.capitalize()
    return str(_bookkeeper(books, "POST", f"{kind}s", {wrap: body})[wrap]["DocumentNumber"])


def _order(books, **fields) -> str:
    return _make(books, "order", **fields)


def _foreign_orders(books) -> list[str]:
    """Orders Kassabok did not make, made first so theirs are the lowest numbers."""
    return [
        _order(books),  # no key at all
        _order(books, YourOrderNumber=KEY),  # our key typed where Fortnox cannot search it
        _order(books, ExternalInvoiceReference1=KEY + "-2"),  # contains our key
        _order(books, ExternalInvoiceReference1=KEY.lower()),  # the same but for case
    ]


@pytest.fixture(params=["ignored", "refused"])
def unknown_params(request, books) -> str:
    """Fortnox ignores a query parameter a path does not document; the harsher sandbox says 400."""
    books.sandbox.strict_params(request.param == "refused")
    return request.param


def _use_orders(session, company) -> None:
    company.invoice = company.tip_on_invoice = company.use_order = company.auto_correct = True
    session.add(company)
    session.commit()


def test_find_document_sees_no_foreign_order(app, session, books, unknown_params) -> None:
    _foreign_orders(books)
    with api.client_for(session, books.company.id) as client:
        assert find_document(client, kind="order", key=KEY) == []
        ours = _order(books, ExternalInvoiceReference1=KEY)
        assert [d["DocumentNumber"] for d in find_document(client, kind="order", key=KEY)] == [ours]


def _cancelled(books, number: str) -> bool:
    return bool(_bookkeeper(books, "GET", f"orders/{number}")["Order"]["Cancelled"])


def test_an_order_in_doubt_adopts_its_own_and_undo_cancels_only_its_own(
    app, session, books, receive, unknown_params
) -> None:
    company = books.company
    _use_orders(session, company)
    foreign = _foreign_orders(books)
    # The lost answer: Kassabok's order was made, but the worker never heard its number.
    ours = _order(books, ExternalInvoiceReference1=KEY)
    first = receive(company, fixture("cafe-full-day"), commit=False)
    doubt = PostedDocument(closure_pk=first.id, kind="order", reference="R1-104233", key=KEY)
    doubt.state = DocState.SENDING
    session.add(doubt)
    session.commit()
    drain(app, session)
    session.refresh(first)
    assert first.state == S.POSTED, first.state_reason
    assert [(d.state, d.number) for d in documents_of(session, first.id)] == [
        (DocState.CREATED, ours)
    ]
    listed = _bookkeeper(books, "GET", "orders")["Orders"]
    assert len(listed) == len(foreign) + 1, "adopted, not sent again"

    # A new revision: the old revision's order is in doubt again, then undone.
    doubt.state = DocState.SENDING
    session.add(doubt)
    session.commit()
    second = receive(company, fixture("cafe-full-day", revision=2))
    drain(app, session)
    session.refresh(second)
    assert second.state == S.POSTED, second.state_reason
    assert _cancelled(books, ours)
    assert [n for n in foreign if _cancelled(books, n)] == [], "another's order was cancelled"

    # Reconciliation recognises Kassabok's orders in Fortnox's (lean) listings, and only those.
    day = date(2026, 11, 24)
    reconcile.reconcile(session, books.company.id, day, day)
    session.commit()
    cached = session.exec(select(FortnoxDocument).where(FortnoxDocument.kind == "order")).all()
    (new,) = documents_of(session, second.id)
    ours_now = {d.number: d.key for d in cached if d.key in (KEY, new.key)}
    assert ours_now == {ours: KEY, new.number: new.key}
    assert next(d for d in cached if d.number == ours).cancelled


@pytest.mark.parametrize("kind", ["invoice", "order"])
def test_a_document_without_its_key_field_is_never_adopted(app, session, books, kind) -> None:
    _make(books, kind)
    _make(books, kind, YourOrderNumber=KEY)
    with api.client_for(session, books.company.id) as client:
        assert find_document(client, kind=kind, key=KEY) == []


@pytest.mark.parametrize("kind", ["invoice", "order"])
def test_a_quiet_second_reconcile_with_documents_costs_a_handful_of_requests(
    app, session, books, receive, kind: str
) -> None:
    company = books.company
    _use_orders(session, company)
    company.use_order = kind == "order"
    session.add(company)
    session.commit()
    _foreign_orders(books)  # the bookkeeper's own orders share the lean listings
    days = [date(2026, 11, 20) + timedelta(days=n) for n in range(4)]
    for n, day in enumerate(days):
        z = 460 + n
        payload = fixture("cafe-full-day", z_number=z, business_date=day.isoformat())
        receive(company, {**payload, "closure_id": f"opn-7731:S12:R1:Z{z}"})
    drain(app, session)
    books.sandbox.reset_stats()
    first = reconcile.reconcile(session, company.id, days[0], days[-1])
    session.commit()
    first_requests = books.sandbox.stats()["total"]
    books.sandbox.reset_stats()
    second = reconcile.reconcile(session, company.id, days[0], days[-1])
    session.commit()
    recent = books.sandbox.stats()
    # Inside the lastmodified margin Fortnox lists every document touched lately; a lean list
    # item cannot say what changed, so each is read whole again: one GET per document.
    lookalike = 1 if kind == "order" else 0  # the bookkeeper's order whose reference starts KB:
    read = recent["endpoints"].get(f"GET /3/{kind}s/{{number}}", {}).get("200")
    assert read == len(days) + lookalike
    app.config["RECONCILE_LASTMODIFIED_MARGIN_MINUTES"] = 0  # hours later: nothing changed since
    books.sandbox.reset_stats()
    third = reconcile.reconcile(session, company.id, days[0], days[-1])
    session.commit()
    quiet = books.sandbox.stats()
    print(f"\n{kind}: first {first_requests}, soon after {recent['total']}, quiet {quiet['total']}")
    assert first.closures == second.closures == third.closures == {"matched": len(days)}
    assert quiet["total"] < 10 and quiet["total"] <= 3, quiet["endpoints"]
