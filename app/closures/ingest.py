"""Take one closure in: parse, check, store each revision once, or keep the refused payload."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from app import events
from app.audit.service import record
from app.closures.models import Closure, ClosureState, RejectedPayload, grand_totals
from app.closures.problems import Problem, _
from app.closures.refused import keep_refused
from app.closures.status import api_url, statuses_of_one
from app.closures.storable import storage_problems, unknown_store
from app.closures.validate import canonical_hash, parse_json_body, validate_closure
from app.companies.models import Company, Store

log = logging.getLogger(__name__)
# Built once: a closure's way in runs these on every request, and building a statement costs
# more than running it.
_T = Closure.__table__  # type: ignore[attr-defined]
_S = Store.__table__  # type: ignore[attr-defined]
_STORE = sa.select(_S.c.id).where(
    _S.c.company_id == sa.bindparam("company_id"), _S.c.store_id == sa.bindparam("store_id")
)
_LOCK = sa.text("SELECT pg_advisory_xact_lock(:k)")
_STORE_LOCKED = _STORE.add_columns(sa.func.pg_advisory_xact_lock(sa.bindparam("k")))
_ANY_REVISION = (
    sa.select(_T.c.id)
    .where(_T.c.company_id == sa.bindparam("company_id"))
    .where(_T.c.closure_id == sa.bindparam("closure_id"))
    .limit(1)
)
# A twin request that won a race the lock did not cover makes the insert do nothing.
_INSERTS = {
    "postgresql": postgresql.insert(_T).on_conflict_do_nothing().returning(_T.c.id),
    "sqlite": sqlite.insert(_T).on_conflict_do_nothing().returning(_T.c.id),
}
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
    store_pk = _store_pk_locked(session, company.id or 0, payload)
    if store_pk is None:
        return arrival.refuse(422, [unknown_store(session, company, payload["store_id"])], payload)
    return _store(arrival, store_pk, payload)


def _store(arrival: Arrival, store_pk: int, payload: dict[str, Any]) -> IngestResult:
    """Store a valid closure as a new revision, or answer the repeat or the conflict."""
    session, company = arrival.session, arrival.company
    closure_id, revision = payload["closure_id"], payload.get("revision", 1)
    digest = canonical_hash(payload)
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
        values = _new_row(company, store_pk, payload, digest, arrival.source)
        dialect = session.get_bind().dialect.name
        pk = session.execute(_INSERTS[dialect], values).scalar()
        if pk is not None:
            return _created(arrival, pk, known)
        # A twin request won a race the lock did not cover: answer as if it came second.
        known = _revisions(session, company.id, closure_id)
        same = next(c for c in known if c.revision == revision)
    if same.payload_hash == digest:
        return IngestResult(200, _answer(session, same), closure=same)
    msg = _(
        "Closure {0} revision {1} was already received on {2} with different content; send a "
        "correction as revision {3}."
    )
    when = same.received_at.strftime("%Y-%m-%d %H:%M UTC")
    problem = Problem("/revision", msg.format(closure_id, revision, when, known[0].revision + 1))
    return arrival.refuse(409, [problem], payload)


def _store_pk_locked(session: Session, company_id: int, payload: dict[str, Any]) -> int | None:
    """The store's id, its closure id serialized (see serialize) when the store is known."""
    where = {"company_id": company_id, "store_id": payload["store_id"]}
    if session.get_bind().dialect.name != "postgresql":
        serialize(session, company_id, payload["closure_id"])
        return session.execute(_STORE, where).scalar()
    # One round trip: the lock is taken with the store's row (a statement of its own follows
    # before the revisions are read, so they are read after the lock is ours).
    key = _lock_key(company_id, payload["closure_id"])
    return session.execute(_STORE_LOCKED, {**where, "k": key}).scalar()


def _lock_key(company_id: int, closure_id: str) -> int:
    """The advisory lock's key of one closure id."""
    key = hashlib.sha256(f"closure:{company_id}:{closure_id}".encode()).digest()[:8]
    return int.from_bytes(key, "big", signed=True)


def serialize(session: Session, company_id: int, closure_id: str) -> None:
    """Let one transaction at a time decide about one closure id (until it commits)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_LOCK, {"k": _lock_key(company_id, closure_id)})
    else:
        # SQLite has one writer: writing first takes its lock before the revisions are read.
        touch = sa.text("UPDATE company SET name = name WHERE id = :id")
        session.execute(touch, {"id": company_id})


def _revisions(session: Session, company_id: int, closure_id: str) -> list[Closure]:
    """Every stored revision of a closure, newest first."""
    where = {"company_id": company_id, "closure_id": closure_id}
    if session.execute(_ANY_REVISION, where).first() is None:
        return []  # the usual case, asked without loading the ORM's machinery
    return list(
        session.exec(
            select(Closure)
            .where(Closure.company_id == company_id, Closure.closure_id == closure_id)
            .order_by(Closure.revision.desc())  # type: ignore[attr-defined]
            .execution_options(populate_existing=True)
        ).all()
    )


def _new_row(
    company: Company, store_pk: int, payload: dict[str, Any], digest: str, source: str
) -> dict[str, Any]:
    """The closure table's values for a valid payload (the others take their defaults)."""
    return {
        "company_id": company.id,
        "store_pk": store_pk,
        "closure_id": payload["closure_id"],
        "revision": payload.get("revision", 1),
        "store_code": payload["store_id"],
        "register_id": payload["register_id"],
        "z_number": payload["z_number"],
        "business_date": date.fromisoformat(payload["business_date"]),
        "payload": payload,
        "payload_hash": digest,
        "source": source,
        "state": ClosureState.RECEIVED,
        **grand_totals(payload),
    }


def _created(arrival: Arrival, pk: int, known: list[Closure]) -> IngestResult:
    """Make the new revision the latest, hand it to the posting engine, and record it."""
    session = arrival.session
    for older in known:
        if older.is_latest:
            older.is_latest = False
            session.add(older)
    row = hand_over(session, pk, older=known[::-1])
    # Last before the commit: the append holds the audit trail's one lock until then, so every
    # other arrival waits for as little as can be. (Posting records nothing on an arrival.)
    record(
        session,
        action="closure.received",
        company_id=row.company_id,
        user=arrival.user,
        actor=arrival.actor,
        target=row.closure_id,
        detail={"revision": row.revision, "source": row.source, "store": row.store_code},
    )
    return IngestResult(201, _answer(session, row, new=True), closure=row)


def hand_over(session: Session, closure_pk: int, older: list[Closure]) -> Closure:
    """Announce that a revision arrived (posting listens); a failure there never loses it.

    older: the revisions stored before it, oldest first, as read under the closure's lock.
    Returns the stored revision as it stands after posting had its say.
    """
    # Held here: the session keeps unchanged objects weakly, and posting's own get finds it.
    closure = session.get(Closure, closure_pk)
    assert closure is not None
    if not events.receivers(events.CLOSURE_RECEIVED):
        return closure
    try:
        with session.begin_nested():
            events.announce(events.CLOSURE_RECEIVED, session, closure_pk, older=older)
    except Exception:
        log.exception("posting could not take closure %s; it stays received", closure_pk)
        session.refresh(closure)  # the savepoint's writes are gone: read the row as it is
    # Otherwise posting changed the row through app.posting.state, which keeps the object as
    # written: reading it back would find the same.
    return closure


def _answer(session: Session, closure: Closure, new: bool = False) -> dict[str, Any]:
    """The body of a 200/201 answer (new: stored in this transaction, so no check has seen it)."""
    return {
        "closure_id": closure.closure_id,
        "revision": closure.revision,
        **statuses_of_one(session, closure, new=new),
        "url": api_url(closure.closure_id),
    }
