"""Take one received file in: keep it whatever happens, once per company and SHA-256.

The same rules as closures (app/closures/ingest.py): 201 a new file read and stored; 200 the very
same bytes again (the same import); 409 a file naming what was already imported differently; 422
a file that cannot be read. Every file is kept raw with its problems: nothing sent is ever lost.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from app import events
from app.audit.service import record
from app.bank.models import BankStatementFile, ImportStatus, SettlementFile
from app.bank.xmlread import FileProblem, FileRefused
from app.closures.ingest import serialize
from app.closures.problems import _
from app.companies.models import Company

log = logging.getLogger(__name__)
# (session, company_id, kind="statement"|"settlement", file_id=int): a file was imported.
BANK_IMPORTED = "bank-imported"
F = TypeVar("F", BankStatementFile, SettlementFile)
P = TypeVar("P")
CODES = {ImportStatus.IMPORTED: 201, ImportStatus.INVALID: 422, ImportStatus.CONFLICT: 409}


@dataclass
class ImportResult(Generic[F]):
    """The answer for the sender, and the file as kept."""

    status_code: int
    file: F
    repeat: bool = False  # the very same bytes were imported before: nothing changed

    @property
    def outcome(self) -> str:
        """created, unchanged (the same file again), invalid or conflict."""
        if self.file.status == ImportStatus.IMPORTED:
            return "unchanged" if self.repeat else "created"
        return str(self.file.status)


@dataclass(frozen=True)
class Arrival:
    """One file as it came in, and who sent it."""

    session: Session
    company: Company
    raw: bytes
    filename: str
    source: str
    user: Any = None
    actor: str | None = None


@dataclass(frozen=True)
class Kind(Generic[F, P]):
    """What differs between statements and settlements: the model, reading, checking, storing."""

    name: str  # statement or settlement
    model: type[F]
    read: Callable[[bytes], P]
    conflicts: Callable[[Session, Company, P], list[FileProblem]]
    store: Callable[[Session, F, P], dict[str, Any]]


def receive(arrival: Arrival, kind: Kind[F, P], **fields: Any) -> ImportResult[F]:
    """Keep the file and answer as the API does: 201, 200 (the same file), 409 or 422."""
    session, company = arrival.session, arrival.company
    digest = hashlib.sha256(arrival.raw).hexdigest()
    serialize(session, company.id or 0, f"bank-{kind.name}")
    known = session.exec(
        select(kind.model).where(kind.model.company_id == company.id, kind.model.sha256 == digest)
    ).first()
    if known is not None and known.status == ImportStatus.IMPORTED:
        return ImportResult(200, known, repeat=True)
    # A file refused before is read again (a profile may have been fixed): it is kept once.
    row = known or kind.model(company_id=company.id, sha256=digest, raw=arrival.raw)
    row.size, row.filename, row.source = len(arrival.raw), arrival.filename[:200], arrival.source
    row.uploaded_by = getattr(arrival.user, "id", None)
    row.actor = (arrival.actor or getattr(arrival.user, "email", None) or "")[:200]
    row.status, row.errors = ImportStatus.IMPORTED, []
    for name, value in fields.items():
        setattr(row, name, value)
    try:
        parsed = kind.read(arrival.raw)
    except FileRefused as refused:
        return _refuse(arrival, kind, row, ImportStatus.INVALID, refused.problems)
    problems = kind.conflicts(session, company, parsed)
    if problems:
        return _refuse(arrival, kind, row, ImportStatus.CONFLICT, problems)
    session.add(row)
    session.flush()
    detail = kind.store(session, row, parsed)
    session.add(row)
    record(
        session,
        action=f"bank.{kind.name}_imported",
        company_id=company.id,
        user=arrival.user,
        actor=arrival.actor,
        target=f"{kind.name}:{row.id}",
        detail={"file": row.filename, "sha256": digest, "source": arrival.source, **detail},
    )
    _announce(session, company.id or 0, kind.name, row.id or 0)
    return ImportResult(201, row)


def _refuse(
    arrival: Arrival, kind: Kind[F, P], row: F, status: ImportStatus, problems: list[FileProblem]
) -> ImportResult[F]:
    """Keep a file that was not imported, with its problems, and record the refusal."""
    row.status = status
    row.errors = [problem.as_dict() for problem in problems]
    arrival.session.add(row)
    arrival.session.flush()
    record(
        arrival.session,
        action=f"bank.{kind.name}_refused",
        company_id=arrival.company.id,
        user=arrival.user,
        actor=arrival.actor,
        target=f"{kind.name}:{row.id}",
        detail={"file": row.filename, "status": CODES[status], "problems": len(problems)},
    )
    return ImportResult(CODES[status], row)


def _announce(session: Session, company_id: int, kind: str, file_id: int) -> None:
    """Tell each listener (fees, matching) that a file arrived; a failure loses neither the file
    nor the other listeners' work: each runs in a savepoint of its own."""
    for receiver in events.receivers(BANK_IMPORTED):
        try:
            with session.begin_nested():
                receiver(session, company_id, kind=kind, file_id=file_id)
        except Exception:
            log.exception("%s failed on %s file %s; it stays imported", receiver, kind, file_id)


def answer(result: ImportResult[Any], counts: dict[str, int]) -> dict[str, Any]:
    """The JSON body the API answers with (and the CLI prints from)."""
    row = result.file
    messages = {
        "created": _("The file was imported."),
        "unchanged": _("This very file was already imported; nothing changed."),
        "invalid": _("The file could not be read; it is kept with its problems."),
        "conflict": _("The file conflicts with what was already imported; it is kept, not used."),
    }
    return {
        "id": row.id,
        "status": result.outcome,
        "message": messages[result.outcome],
        "sha256": row.sha256,
        "filename": row.filename,
        "received_at": row.received_at.isoformat(),
        **counts,
        "errors": list(row.errors or []),
    }


def list_files(session: Session, model: type[F], company: Company, limit: int = 100) -> list[F]:
    """The company's received files of one kind, newest first (their bytes left unread)."""
    query = (
        select(model)
        .options(defer(model.raw))  # type: ignore[arg-type]
        .where(model.company_id == company.id)
        .order_by(col(model.id).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())


def get_file(session: Session, model: type[F], company: Company, pk: int) -> F | None:
    """One of the company's received files of one kind, or None."""
    row = session.get(model, pk)
    return row if row is not None and row.company_id == company.id else None
