"""A closure revision as the POS sees it through the API: status, reason, voucher, invoices.

`status` is the status the month board shows (app/reconcile/counts.py: matched, pending, held,
failed, mismatch, missing, duplicate, superseded); `posting_state` is where the posting stands
(received, held, awaiting_approval, queued, posting, posted, failed, superseded). The reason
and the invoices are posting's: it answers them to events.CLOSURE_ACCOUNT.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from sqlmodel import Session

from app import events
from app.closures.models import Closure
from app.closures.statuses import api_status, unchecked_status


def api_url(closure_id: str) -> str:
    """The absolute URL where the POS reads a closure's status."""
    if has_request_context():
        return url_for("closures_api.show", closure_id=closure_id, _external=True)
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(public.netloc, url_scheme=public.scheme or "https")
    return adapter.build("closures_api.show", {"closure_id": closure_id}, force_external=True)


def closure_status(session: Session, closure: Closure) -> dict[str, Any]:
    """The API's account of one closure revision, with the parts higher areas add (posting's)."""
    voucher = None
    if closure.voucher_number is not None:
        voucher = {
            "series": closure.voucher_series,
            "number": closure.voucher_number,
            "year": closure.voucher_year,
        }
    account: dict[str, Any] = {
        "closure_id": closure.closure_id,
        "revision": closure.revision,
        **statuses_of_one(session, closure),
        "reason": None,
        "voucher": voucher,
        "invoices": [],
    }
    for part in events.announce(events.CLOSURE_ACCOUNT, session, closure):
        account |= part
    return account


def statuses_of_one(session: Session, closure: Closure, new: bool = False) -> dict[str, str]:
    """The closure's `status` as the board shows it and its raw `posting_state`.

    new: the revision was stored in this very transaction, so no check has seen it yet.
    """
    status = unchecked_status(closure) if new else api_status(session, closure)
    return {"status": status, "posting_state": str(closure.state)}
