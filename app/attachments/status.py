"""Where each posted closure's Z-report stands, as the closure page and the APIs tell it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.attachments.models import AttachState, ZAttachment, ZReport
from app.closures.models import Closure, ClosureState
from app.fortnox.checks import scope_name

S = AttachState
STATES = {
    S.PENDING: _l("Waiting to be attached to the voucher"),
    S.UPLOADED: _l("In Fortnox's archive, not yet on the voucher"),
    S.CONNECTED: _l("Attached to the voucher in Fortnox"),
    S.FAILED: _l("Not attached to the voucher"),
}


def reason(row: ZAttachment | None) -> str:
    """Why the Z-report is not on the voucher yet, with what to do ("" when nothing is wrong)."""
    if row is None or row.state == S.CONNECTED or not row.reason:
        return ""
    said = row.message
    if row.reason == "scope":
        names = ", ".join(f"“{scope_name(s)}”" for s in said.split())
        return _(
            "Kassabok was not given Fortnox's %(names)s permission: an administrator authorizes "
            "Kassabok again on the Fortnox page. The voucher is posted; only the Z-report waits.",
            names=names,
        )
    if row.reason == "licence":
        return _(
            "Fortnox says the company has no licence for its archive (%(said)s). Add it in "
            "Fortnox; Kassabok tries again every hour.",
            said=said,
        )
    if row.reason == "auth_lost":
        return _("The connection to Fortnox was lost; it is attached once it is connected again.")
    if row.reason == "refused":
        return _("Fortnox refused it: %(said)s", said=said)
    if row.reason == "retries":
        return _("Fortnox did not answer (%(said)s); Kassabok tries again every hour.", said=said)
    return _("Fortnox did not answer (%(said)s); trying again shortly.", said=said)


@dataclass(frozen=True)
class Standing:
    """A closure revision's Z-report: the kept original (if any) and its way to the voucher."""

    original: ZReport | None
    row: ZAttachment | None
    expected: bool  # a voucher was posted, so its Z-report belongs on it

    @property
    def connected(self) -> bool:
        """True once the Z-report is on the voucher."""
        return self.row is not None and self.row.state == S.CONNECTED

    @property
    def finding(self) -> bool:
        """A posted voucher without its Z-report: an auditor's finding until it is attached."""
        return self.expected and not self.connected

    @property
    def state_text(self) -> str:
        """The state in words."""
        return str(STATES[self.row.state if self.row else S.PENDING])

    @property
    def reason_text(self) -> str:
        """Why it is not attached yet, with what to do."""
        return reason(self.row)


def expected(closure: Closure) -> bool:
    """Whether the closure revision's voucher should carry its Z-report."""
    return closure.voucher_number is not None and closure.state != ClosureState.SUPERSEDED


def standing(session: Session, closure: Closure) -> Standing:
    """The closure revision's Z-report as it stands."""
    original = session.exec(select(ZReport).where(ZReport.closure_pk == closure.id)).first()
    row = session.exec(select(ZAttachment).where(ZAttachment.closure_pk == closure.id)).first()
    return Standing(original, row, expected(closure))


def api_json(session: Session, closure: Closure) -> dict[str, Any] | None:
    """The API's `attachment`: {file_id, connected, state, reason}; None without a voucher."""
    if closure.voucher_number is None:
        return None
    found = standing(session, closure)
    row = found.row
    with force_locale("en"):
        why = found.reason_text or None
    return {
        "file_id": row.file_id if row else None,
        "connected": found.connected,
        "state": row.state if row else S.PENDING,
        "reason": why,
    }


def unattached(
    session: Session, company_id: int, lo: date, hi: date, store_codes: set[str] | None = None
) -> list[dict[str, Any]]:
    """Posted vouchers of the period whose Z-report is not on them yet (the API's findings)."""
    query = (
        select(Closure, ZAttachment)
        .join(ZAttachment, col(ZAttachment.closure_pk) == Closure.id, isouter=True)
        .where(
            Closure.company_id == company_id,
            Closure.state == ClosureState.POSTED,
            col(Closure.voucher_number).is_not(None),
            col(Closure.business_date) >= lo,
            col(Closure.business_date) <= hi,
        )
        .order_by(col(Closure.business_date), col(Closure.store_code), col(Closure.z_number))
    )
    out = []
    with force_locale("en"):
        for closure, row in session.exec(query).all():
            if row is not None and row.state == S.CONNECTED:
                continue
            if store_codes is not None and closure.store_code not in store_codes:
                continue
            out.append(
                {
                    "closure_id": closure.closure_id,
                    "revision": closure.revision,
                    "store": closure.store_code,
                    "register": closure.register_id,
                    "z_number": closure.z_number,
                    "business_date": closure.business_date.isoformat(),
                    "voucher": f"{closure.voucher_series}{closure.voucher_number}",
                    "state": row.state if row else S.PENDING,
                    "reason": reason(row) or None,
                }
            )
    return out
