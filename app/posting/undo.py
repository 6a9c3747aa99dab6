"""A superseded revision's invoices and orders: cancel them in Fortnox, or say why they stand."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlmodel import Session

from app.audit.service import record
from app.closures.models import Closure
from app.fortnox import api
from app.fortnox.errors import NeedsAction, NotFound
from app.posting import checks
from app.posting.dedupe import find_document
from app.posting.documents import documents_of, save
from app.posting.holds import Hold
from app.posting.models import DocState, PostedDocument
from app.posting.reasons import document

# Documents that may stand in Fortnox and still need undoing (BOOKED: waiting for the accountant).
STANDING = (DocState.CREATED, DocState.SENDING, DocState.BOOKED)


def standing(session: Session, closure_pk: int) -> list[PostedDocument]:
    """The closure's invoices and orders that still stand in Fortnox (or may)."""
    return [d for d in documents_of(session, closure_pk) if d.state in STANDING]


def correction_due(session: Session, old: Closure) -> bool:
    """True while a superseded revision has a voucher to reverse or documents to undo."""
    unreversed = old.voucher_number is not None and old.reversal_number is None
    return unreversed or bool(standing(session, old.id or 0))


def due_hold(session: Session, old: Closure) -> Hold:
    """The hold on a newer revision while old's voucher or documents are not undone yet."""
    if old.voucher_number is not None and old.reversal_number is None:
        voucher = f"{old.voucher_series} {old.voucher_number}"
        return checks.hold("correction_due", old=old.revision, voucher=voucher)
    docs = [document(d.kind, d.number or d.reference) for d in standing(session, old.id or 0)]
    made = checks.hold("documents_due", old=old.revision, documents=docs)
    # The same sticky hold and button as a voucher's correction, in its own words.
    return dataclasses.replace(made, code="correction_due", texts="documents_due")


def undo_documents(
    session: Session, client: Any, old: Closure, *, acknowledged: bool = False
) -> list[PostedDocument]:
    """Cancel old's standing invoices and orders; those Fortnox will not cancel are returned.

    acknowledged: a person clicked Correct after being told which documents stand booked,
    so those are left to them (they credit by hand) and no longer block the newer revision.
    """
    stuck = []
    for doc in standing(session, old.id or 0):
        if doc.state == DocState.BOOKED:
            if acknowledged:
                save(session, doc, DocState.LEFT, error=doc.error)
                _audit(session, old, doc, "closure.document_left")
            else:
                stuck.append(doc)
            continue
        if doc.state == DocState.SENDING and not _adopt(session, client, doc):
            continue
        state, why = _cancel(client, doc)
        save(session, doc, state, error=why)
        if state == DocState.BOOKED:
            stuck.append(doc)
        _audit(session, old, doc, f"closure.document_{state}")
    return stuck


def _adopt(session: Session, client: Any, doc: PostedDocument) -> bool:
    """Find a document whose send was in doubt; False (and pending) when Fortnox never made it."""
    hits = find_document(client, kind=doc.kind, key=doc.key)
    if not hits:
        save(session, doc, DocState.PENDING)
        return False
    save(session, doc, DocState.CREATED, str(hits[0]["DocumentNumber"]))
    return True


def _cancel(client: Any, doc: PostedDocument) -> tuple[str, str]:
    """Cancel one document: (new state, why it stands when it cannot be cancelled)."""
    cancel, read = (
        (api.cancel_order, api.get_order)
        if doc.kind == "order"
        else (api.cancel_invoice, api.get_invoice)
    )
    try:
        cancel(client, doc.number or "")
        return DocState.CANCELLED, ""
    except NotFound:
        return DocState.CANCELLED, "Fortnox no longer has it."
    except NeedsAction:
        now = read(client, doc.number or "")  # refused: find out why before saying so
    if now.get("Cancelled"):
        return DocState.CANCELLED, ""
    invoice = api.invoiced_as(now) if doc.kind == "order" else ""
    if invoice:
        return DocState.BOOKED, f"invoiced as invoice {invoice}"
    if doc.kind != "order" and now.get("Booked"):
        return DocState.BOOKED, "bookkept"
    raise NeedsAction(f"Fortnox refused to cancel {doc.kind} {doc.number}.")


def stuck_hold(old: Closure, stuck: list[PostedDocument]) -> Hold:
    """The hold on the newer revision while booked documents of old wait for the accountant."""
    docs = [document(d.kind, d.number, d.error) for d in stuck]
    made = checks.hold("documents_booked", old=old.revision, documents=docs)
    return dataclasses.replace(made, code="correction_due", texts="documents_booked")


def _audit(session: Session, old: Closure, doc: PostedDocument, action: str) -> None:
    record(
        session,
        action=action,
        company_id=old.company_id,
        actor="worker",
        target=f"closure:{old.id}",
        detail={"kind": doc.kind, "number": doc.number, "key": doc.key, "why": doc.error},
    )
    session.commit()
