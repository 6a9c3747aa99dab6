"""Take one closure in: parse, check, store each revision once, or keep the refused payload."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import events
from app.audit.service import record
from app.closures.models import Closure, ClosureState, RejectedPayload
from app.closures.problems import Problem, _
from app.closures.refused import keep_refused
from app.closures.status import api_url, statuses_of_one
from app.closures.storable import storage_problems, unknown_store
from app.closures.validate import canonical_hash, parse_json_body, validate_closure
from app.companies.models import Company, Store

log = logging.getLogger(__name__)
_JSON_TYPES = {"", "application/json", "text/json", "text/plain"}


@dataclass
class IngestResult:
    """The answer for the POS, with the closure stored or the payload kept as refused."""

    status_code: int
    body: dict[str, Any] = field(default_factory=dict)
    closure: Closure | None = None
    rejected: RejectedPayload | None = None

    @property
    def outcome(self) -> str:
        """created, revision, unchanged, conflict, invalid, too_large or unsupported."""
        if self.closure is not None and self.status_code == 201:
            return "created" if self.closure.revision == 1 else "revision"
        names = {200: "unchanged", 409: "conflict", 413: "too_large", 415: "unsupported"}
        return names.get(self.status_code, "invalid")

    @property
    def errors(self) -> list[dict[str, str]]:
        """The problems named in the answer (empty when the closure was taken)."""
        return list(self.body.get("errors", []))


@dataclass(frozen=True)
class Arrival:
    """One payload as it came in, and who sent it."""

    session: Session
    company: Company
    raw: bytes
    source: str
    user: Any = None
    actor: str | None = None
    origin: str = ""

    def refuse(self, status: int, problems: list[Problem], payload: object) -> IngestResult:
        """Keep the payload with its problems and build the refusal."""
        closure_id = payload.get("closure_id") if isinstance(payload, dict) else None
        rejected = keep_refused(
            self.session,
            company=self.company,
            raw=self.raw,
            source=self.source,
            user=self.user,
            actor=self.actor,
            origin=self.origin,
            status_code=status,
            problems=problems,
            closure_id=closure_id if isinstance(closure_id, str) else None,
        )
        if status == 409:
            message = _("The closure conflicts with one already received; it was kept, not stored.")
        else:
            message = _("The closure was not accepted; it is kept for your accountant to see.")
        return IngestResult(status, {"message": message, "errors": rejected.errors}, None, rejected)


def ingest(
    session: Session,
    *,
    company: Company,
    raw: bytes,
    source: str,
    content_type: str | None = None,
    user: Any = None,
    actor: str | None = None,
    origin: str = "",
) -> IngestResult:
    """Parse, check and store one closure, answering as the API does; a refusal is kept."""
    arrival = Arrival(session, company, raw, source, user, actor, origin)
    mimetype = (content_type or "").split(";")[0].strip().lower()
    if mimetype not in _JSON_TYPES and not mimetype.endswith("+json"):
        msg = _("Content-Type {0} is not JSON; send the closure as application/json.")
        return arrival.refuse(415, [Problem("", msg.format(mimetype))], None)
    payload, problems = parse_json_body(raw)
    if not problems:
        problems = validate_closure(payload) or storage_problems(payload)
    if problems:
        return arrival.refuse(422, problems, payload)
    store = session.exec(
        select(Store).where(Store.company_id == company.id, Store.store_id == payload["store_id"])
    ).first()
    if store is None:
        return arrival.refuse(422, [unknown_store(session, company, payload["store_id"])], payload)
    return _store(arrival, store, payload)


def _store(arrival: Arrival, store: Store, payload: dict[str, Any]) -> IngestResult:
    """Store a valid closure as a new revision, or answer the repeat or the conflict."""
    session, company = arrival.session, arrival.company
    closure_id, revision = payload["closure_id"], payload.get("revision", 1)
    digest = canonical_hash(payload)
    serialize(session, company.id, closure_id)
    known = _revisions(session, company.id, closure_id)
    same = next((c for c in known if c.revision == revision), None)
    if same is None and known and known[0].revision > revision:
        msg = _(
            "A newer revision ({0}) of closure {1} was already received; revision {2} is out "
            "of date and was not stored."
        )
        problem = Problem("/revision", msg.format(known[0].revision, closure_id, revision))
        return arrival.refuse(409, [problem], payload)
    if same is None:
        row = _new_row(company, store, payload, digest, arrival.source)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            # A twin request won a race the lock did not cover: answer as if it came second.
            known = _revisions(session, company.id, closure_id)
            same = next(c for c in known if c.revision == revision)
        else:
            return _created(arrival, row, known)
    if same.payload_hash == digest:
        return IngestResult(200, _answer(session, same), closure=same)
    msg = _(
        "Closure {0} revision {1} was already received on {2} with different content; send a "
        "correction as revision {3}."
    )
    when = same.received_at.strftime("%Y-%m-%d %H:%M UTC")
    problem = Problem("/revision", msg.format(closure_id, revision, when, known[0].revision + 1))
    return arrival.refuse(409, [problem], payload)


def serialize(session: Session, company_id: int, closure_id: str) -> None:
    """Let one transaction at a time decide about one closure id (until it commits)."""
    if session.get_bind().dialect.name == "postgresql":
        key = hashlib.sha256(f"closure:{company_id}:{closure_id}".encode()).digest()[:8]
        lock = sa.text("SELECT pg_advisory_xact_lock(:k)")
        session.execute(lock, {"k": int.from_bytes(key, "big", signed=True)})
    else:
        # SQLite has one writer: writing first takes its lock before the revisions are read.
        touch = sa.text("UPDATE company SET name = name WHERE id = :id")
        session.execute(touch, {"id": company_id})


def _revisions(session: Session, company_id: int, closure_id: str) -> list[Closure]:
    """Every stored revision of a closure, newest first."""
    return list(
        session.exec(
            select(Closure)
            .where(Closure.company_id == company_id, Closure.closure_id == closure_id)
            .order_by(Closure.revision.desc())  # type: ignore[attr-defined]
            .execution_options(populate_existing=True)
        ).all()
    )


def _new_row(
    company: Company, store: Store, payload: dict[str, Any], digest: str, source: str
) -> Closure:
    """The Closure row for a valid payload."""
    return Closure(
        company_id=company.id,
        store_pk=store.id,
        closure_id=payload["closure_id"],
        revision=payload.get("revision", 1),
        store_code=payload["store_id"],
        register_id=payload["register_id"],
        z_number=payload["z_number"],
        business_date=date.fromisoformat(payload["business_date"]),
        payload=payload,
        payload_hash=digest,
        source=source,
        state=ClosureState.RECEIVED,
    )


def _created(arrival: Arrival, row: Closure, known: list[Closure]) -> IngestResult:
    """Make the new revision the latest, record it, and hand it to the posting engine."""
    session = arrival.session
    for older in known:
        if older.is_latest:
            older.is_latest = False
            session.add(older)
    record(
        session,
        action="closure.received",
        company_id=row.company_id,
        user=arrival.user,
        actor=arrival.actor,
        target=row.closure_id,
        detail={"revision": row.revision, "source": row.source, "store": row.store_code},
    )
    session.flush()
    hand_over(session, row, older=known[::-1])
    return IngestResult(201, _answer(session, row), closure=row)


def hand_over(session: Session, closure: Closure, older: list[Closure]) -> None:
    """Announce that a revision arrived (posting listens); a failure there never loses it.

    older: the revisions stored before it, oldest first, as read under the closure's lock.
    """
    if not events.receivers(events.CLOSURE_RECEIVED):
        return
    try:
        with session.begin_nested():
            events.announce(events.CLOSURE_RECEIVED, session, closure.id, older=older)
    except Exception:
        log.exception("posting could not take closure %s; it stays received", closure.id)
        session.refresh(closure)  # the savepoint's writes are gone: read the row as it is
    # Otherwise posting changed the row through app.posting.state, which keeps the object as
    # written: reading it back would find the same.


def _answer(session: Session, closure: Closure) -> dict[str, Any]:
    """The body of a 200/201 answer."""
    return {
        "closure_id": closure.closure_id,
        "revision": closure.revision,
        **statuses_of_one(session, closure),
        "url": api_url(closure.closure_id),
    }
