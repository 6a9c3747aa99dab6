"""Invoices and orders of a closure: each keyed, searched for before an uncertain resend."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session, select

from app.audit.service import record
from app.closures.models import Closure
from app.db import utcnow
from app.fortnox import api
from app.fortnox.errors import AuthLost, NeedsAction, NotFound, Retryable
from app.posting.dedupe import find_document
from app.posting.invoices import InvoiceDraft
from app.posting.models import DocState, PostedDocument


def ensure_customers(
    client: Any, drafts: list[InvoiceDraft], *, fail: Callable[[str], None]
) -> None:
    """Make sure every invoiced customer exists; create it when the POS gave a name."""
    seen: set[str] = set()
    for draft in drafts:
        number = draft.customer_number
        if number in seen:
            continue
        seen.add(number)
        if _customer_exists(client, number):
            continue
        if not draft.customer_name:
            fail(number)
        api.create_customer(
            client, {"Customer": {"CustomerNumber": number, "Name": draft.customer_name}}
        )


def _customer_exists(client: Any, number: str) -> bool:
    """True when Fortnox knows the customer number."""
    try:
        return api.get_customer(client, number) is not None
    except NotFound:
        return False


def document_for(session: Session, closure: Closure, draft: InvoiceDraft) -> PostedDocument:
    """The row that tracks draft's document, made on first sight."""
    doc = session.exec(
        select(PostedDocument).where(
            PostedDocument.closure_pk == closure.id, PostedDocument.key == draft.key
        )
    ).first()
    if doc is None:
        doc = PostedDocument(
            closure_pk=closure.id or 0, kind=draft.kind, reference=draft.reference, key=draft.key
        )
        session.add(doc)
        session.flush()
    return doc


def save(
    session: Session, doc: PostedDocument, state: str, number: str | None = None, error: str = ""
) -> None:
    """Record where a document stands (committed at once)."""
    doc.state, doc.updated_at, doc.error = state, utcnow(), error[:2000]
    if number is not None:
        doc.number = number
    session.add(doc)
    session.commit()


def post_document(
    session: Session,
    client: Any,
    closure: Closure,
    draft: InvoiceDraft,
    *,
    owner: Callable[[Session, Closure], None],
) -> PostedDocument:
    """Adopt or create the invoice/order for one invoice sale and record its number at once."""
    doc = document_for(session, closure, draft)
    if doc.state == DocState.CREATED:
        return doc
    if doc.state == DocState.SENDING:
        hits = find_document(client, kind=draft.kind, key=draft.key)
        if hits:
            save(session, doc, DocState.CREATED, str(hits[0]["DocumentNumber"]))
            _audit(session, closure, doc, adopted=True)
            return doc
    owner(session, closure)
    save(session, doc, DocState.SENDING)
    create = api.create_order if draft.kind == "order" else api.create_invoice
    try:
        answer = create(client, draft.to_fortnox())
    except (NeedsAction, AuthLost) as err:
        save(session, doc, DocState.PENDING, error=str(err))
        raise
    except Retryable as err:
        unknown = getattr(err, "outcome_unknown", True)
        save(session, doc, DocState.SENDING if unknown else DocState.PENDING, error=str(err))
        raise
    save(session, doc, DocState.CREATED, _number(answer))
    _audit(session, closure, doc, adopted=False)
    return doc


def _number(answer: Any) -> str:
    """The DocumentNumber from whatever shape the client returned."""
    if isinstance(answer, dict):
        inner = answer.get("Invoice") or answer.get("Order") or answer
        return str(inner["DocumentNumber"])
    return str(getattr(answer, "number", None) or answer.DocumentNumber)


def _audit(session: Session, closure: Closure, doc: PostedDocument, *, adopted: bool) -> None:
    record(
        session,
        action=f"closure.{doc.kind}_posted",
        company_id=closure.company_id,
        actor="worker",
        target=f"closure:{closure.id}",
        detail={"key": doc.key, "number": doc.number, "adopted": adopted},
    )
    session.commit()


def documents_of(session: Session, closure_pk: int) -> list[PostedDocument]:
    """The invoices and orders recorded for a closure."""
    return list(
        session.exec(
            select(PostedDocument)
            .where(PostedDocument.closure_pk == closure_pk)
            .order_by(PostedDocument.id)  # type: ignore[arg-type]
        ).all()
    )
