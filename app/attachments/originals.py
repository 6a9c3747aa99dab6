"""Each posted closure's Z-report, kept byte for byte for as long as bokföringslagen asks.

The POS's own PDF (the closure's z_report) is kept as its bytes decoded, with their SHA-256; a
closure that came without one gets a page Kassabok renders from its figures, kept the same way.
Räkenskapsinformation is kept "till och med det sjunde året efter utgången av det kalenderår då
räkenskapsåret avslutades" (BFL 7 kap. 2 §): a business day of year Y falls in a financial year
that ends in Y or Y+1, so an original is kept at least until 31 December of Y+1+years. Until then
nothing deletes it or changes its bytes (a guard on every flush); after it, prune() drops the bytes
and keeps the row with its hash (app.attachments.models refuses anything else).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from datetime import date

from flask import current_app, has_app_context
from sqlmodel import Session, col, select

from app.attachments.models import Source, ZReport
from app.closures.models import Closure
from app.db import utcnow

log = logging.getLogger(__name__)
LAW_YEARS = 7  # bokföringslagen 7 kap. 2 §: the least any setting may keep an original


def retention_years() -> int:
    """How many years after its financial year an original is kept (never fewer than the law's 7).

    The setting ZREPORT_RETENTION_YEARS (app config, else KASSABOK_ZREPORT_RETENTION_YEARS).
    """
    value = current_app.config.get("ZREPORT_RETENTION_YEARS") if has_app_context() else None
    value = value or os.environ.get("KASSABOK_ZREPORT_RETENTION_YEARS") or LAW_YEARS
    years = int(value)
    if years < LAW_YEARS:
        log.warning("ZREPORT_RETENTION_YEARS=%s is below the law's %s years", years, LAW_YEARS)
    return max(years, LAW_YEARS)


def keep_until(business_date: date, years: int | None = None) -> date:
    """The last day a closure's original must be kept."""
    return date(business_date.year + 1 + (years or retention_years()), 12, 31)


def sent_by_pos(closure: Closure) -> tuple[bytes, str, str] | None:
    """The POS's own Z-report of a closure: (bytes, content type, file name), or None."""
    sent = (closure.payload or {}).get("z_report")
    if not isinstance(sent, dict) or not sent.get("data"):
        return None
    data = base64.b64decode(sent["data"], validate=True)
    return data, str(sent["content_type"]), str(sent["filename"])


def kept(session: Session, closure_pk: int) -> ZReport | None:
    """The kept original of a closure revision, if there is one yet."""
    return session.exec(select(ZReport).where(ZReport.closure_pk == closure_pk)).first()


def keep(session: Session, closure: Closure) -> ZReport:
    """The closure's original, kept now if it was not yet (the caller commits)."""
    found = kept(session, closure.id or 0)
    if found is not None:
        return found
    sent = sent_by_pos(closure)
    if sent is not None:
        data, content_type, filename = sent
        source = Source.POS
    else:
        from app.attachments.render import render_zreport

        data, content_type = render_zreport(session, closure), "application/pdf"
        filename = f"Z{closure.z_number}-{closure.store_code}-{closure.register_id}-"
        filename += f"{closure.business_date.isoformat()}.pdf"
        source = Source.KASSABOK
    row = ZReport(
        company_id=closure.company_id,
        closure_pk=closure.id or 0,
        source=source,
        content_type=content_type,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        data=data,
        keep_until=keep_until(closure.business_date),
    )
    session.add(row)
    session.flush()
    return row


def prune(session: Session, today: date | None = None) -> int:
    """Drop the bytes of originals whose retention period has ended; their rows and hashes stay."""
    today = today or date.today()
    due = session.exec(
        select(ZReport).where(col(ZReport.keep_until) < today, col(ZReport.data).is_not(None))
    ).all()
    for row in due:
        row.data = None
        row.pruned_at = utcnow()
        session.add(row)
    session.commit()
    return len(due)
