"""Put a posted closure's Z-report on its voucher in Fortnox, exactly once.

Upload to the archive, then connect the file to the voucher. Each send that may reach Fortnox is
marked in doubt (committed) before it goes: after an answer lost on the way back, the next run
looks for the file in the archive by its deterministic name before uploading again, and reads the
voucher's file connections before connecting again. Posting never waits on any of this.
"""

from __future__ import annotations

import logging
import re
from contextlib import closing
from datetime import timedelta

from sqlmodel import Session, select

from app.attachments import originals
from app.attachments.jobs import enqueue
from app.attachments.models import AttachState, ZAttachment
from app.audit.service import record
from app.closures.models import Closure, ClosureState
from app.db import utcnow
from app.fortnox import api, tokens
from app.fortnox import attachments as files
from app.fortnox.client import FortnoxClient
from app.fortnox.errors import AuthLost, NeedsAction, Retryable
from app.posting.jobs import setting

log = logging.getLogger(__name__)
LICENCE_CODES = {2001101, 2001103}
S = AttachState


def file_name(closure: Closure) -> str:
    """The name the Z-report has in Fortnox: readable, and unique to the closure revision."""
    key = re.sub(r"[^A-Za-z0-9-]+", "_", closure.closure_id).strip("_")[:80]
    day = closure.business_date.isoformat()
    return f"Z{closure.z_number}_{closure.store_code}_{day}_KB-{key}-r{closure.revision}.pdf"


def voucher_of(closure: Closure) -> files.VoucherRef | None:
    """The voucher the closure revision was posted as, or None."""
    if closure.voucher_number is None or closure.voucher_year is None:
        return None
    series, number, year = closure.voucher_series, closure.voucher_number, closure.voucher_year
    return files.VoucherRef(str(series), number, year)


def row_of(session: Session, closure_pk: int) -> ZAttachment | None:
    """The attachment row of a closure revision, if its attaching has begun."""
    return session.exec(select(ZAttachment).where(ZAttachment.closure_pk == closure_pk)).first()


def missing_scopes(session: Session, company_id: int) -> list[str]:
    """The file scopes the connection was not given (none when Kassabok does not know them)."""
    conn = tokens.connection(session, company_id)
    granted = set(((conn.scope if conn else "") or "").replace(",", " ").split())
    return [s for s in files.SCOPES if granted and s not in granted]


def attach(session: Session, closure_pk: int) -> str:
    """Attach one closure revision's Z-report to its voucher; the word says how it ended."""
    closure = session.get(Closure, closure_pk)
    voucher = voucher_of(closure) if closure is not None else None
    if closure is None or voucher is None or closure.state == ClosureState.SUPERSEDED:
        return "skipped"
    row = row_of(session, closure_pk) or ZAttachment(
        company_id=closure.company_id, closure_pk=closure_pk, file_name=file_name(closure)
    )
    if row.state == S.CONNECTED:
        return "connected"
    missing = missing_scopes(session, closure.company_id)
    if missing:  # Fortnox would refuse: ask nothing of it until someone grants them
        return _stop(session, row, "scope", " ".join(missing))
    row.attempts += 1
    _save(session, row)
    try:
        original = originals.keep(session, closure)
        session.commit()
        with closing(api.client_for(session, closure.company_id)) as client:
            _send(session, client, row, original.data or b"", original.content_type, voucher)
    except AuthLost as err:
        return _stop(session, row, "auth_lost", err.message)
    except NeedsAction as err:
        licence = err.status == 403 or err.code in LICENCE_CODES
        return _stop(session, row, "licence" if licence else "refused", err.message)
    except Retryable as err:
        return _later(session, row, str(err))
    except Exception as err:  # unforeseen: keep the evidence, try again later
        log.exception("attaching the Z-report of closure %s failed", closure_pk)
        return _later(session, row, repr(err))
    record(
        session,
        action="closure.zreport_attached",
        company_id=closure.company_id,
        actor="worker",
        target=f"closure:{closure.id}",
        detail={"file": row.file_id, "name": row.file_name, "sha256": original.sha256},
    )
    session.commit()
    return "connected"


def _send(
    session: Session,
    client: FortnoxClient,
    row: ZAttachment,
    data: bytes,
    content_type: str,
    voucher: files.VoucherRef,
) -> None:
    """Upload unless Fortnox has the file, connect unless it is connected; commit each step."""
    if row.file_id is None:
        found = files.find_file(client, row.file_name) if row.upload_unknown else None
        if found is None:
            _doubt(session, row, upload=True)
            found = files.upload(client, row.file_name, data, content_type)
        row.file_id, row.upload_unknown, row.state = found.id, False, S.UPLOADED
        _save(session, row)
    if row.connect_unknown:
        on_it = files.connections(client, voucher)
        if any(str(c.get("FileId")) == row.file_id for c in on_it):
            return _connected(session, row)
    _doubt(session, row, connect=True)
    files.connect(client, str(row.file_id), voucher)
    _connected(session, row)


def _doubt(
    session: Session, row: ZAttachment, *, upload: bool = False, connect: bool = False
) -> None:
    """Mark a send in doubt, committed before it goes; only its answer clears the doubt."""
    row.upload_unknown = row.upload_unknown or upload
    row.connect_unknown = row.connect_unknown or connect
    _save(session, row)


def _connected(session: Session, row: ZAttachment) -> None:
    row.state, row.connect_unknown, row.reason, row.message = S.CONNECTED, False, "", ""
    row.connected_at, row.next_at = utcnow(), None
    _save(session, row)


def _save(session: Session, row: ZAttachment) -> None:
    row.updated_at = utcnow()
    session.add(row)
    session.commit()


def _stop(session: Session, row: ZAttachment, reason: str, message: str) -> str:
    """Failed, for a reason a person fixes; the sweeper tries again after a while.

    A doubt stays: a refusal may have come from the search, not from the send in doubt.
    """
    session.rollback()
    row.state = S.FAILED
    row.reason, row.message = reason, message[:2000]
    row.next_at = utcnow() + timedelta(minutes=setting("ATTACH_RETRY_FAILED_MINUTES", 60))
    _save(session, row)
    log.info("closure %s: Z-report not attached (%s) %s", row.closure_pk, reason, message)
    return "failed"


def _later(session: Session, row: ZAttachment, message: str) -> str:
    """Try again after a backoff; after the last attempt, failed (and retried much later)."""
    session.rollback()
    limit = int(setting("ATTACH_MAX_ATTEMPTS", 6))
    if row.attempts >= limit:
        return _stop(session, row, "retries", message)
    delay = min(2.0 * 2 ** max(row.attempts - 1, 0), 300.0)
    row.reason, row.message = "retrying", message[:2000]
    row.next_at = utcnow() + timedelta(seconds=delay)
    _save(session, row)
    enqueue(row.closure_pk, delay=delay)
    return "retrying"
