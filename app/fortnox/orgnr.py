"""A Fortnox company with another organisation number: its red line and an admin's confirmation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.audit.service import record
from app.auth.models import User
from app.companies.models import Company
from app.db import utcnow
from app.fortnox import tokens
from app.fortnox.checks import Check
from app.fortnox.models import FortnoxConnection

HOLD = "orgnr_unconfirmed"  # the posting hold code of a closure stopped by an unconfirmed orgnr


def digits(orgnr: str) -> str:
    """An organisation number without its dash or spaces."""
    return re.sub(r"\D", "", orgnr or "")


def differs(theirs: str, ours: str) -> bool:
    """True unless Fortnox gives this company's organisation number (giving none differs too)."""
    return not digits(theirs) or digits(theirs) != digits(ours)


def identity(database: Any, theirs: str, ours: str) -> str:
    """What an admin confirms: this Fortnox database with its orgnr, for this company's orgnr."""
    return f"{database or ''}|{digits(theirs)}|{digits(ours)}"


def line(info: dict[str, Any], company: Company, conn: FortnoxConnection | None) -> Check:
    """The pre-flight line: green when the numbers match or an admin confirmed this pairing."""
    theirs = str(info.get("OrganizationNumber") or "")
    params: dict[str, Any] = {
        "name": str(info.get("CompanyName") or ""),
        "theirs": theirs or "—",
        "company": company.name,
        "ours": company.orgnr,
        "problem": "",
    }
    if not differs(theirs, company.orgnr):
        return Check("orgnr", True, "orgnr", params)
    key = identity(info.get("DatabaseNumber"), theirs, company.orgnr)
    if conn is not None and conn.orgnr_confirmed == key and conn.orgnr_confirmed_at:
        params["confirmed"] = conn.orgnr_confirmed_at.date().isoformat()
        return Check("orgnr", True, "orgnr", params)
    params["problem"] = "differs"
    return Check("orgnr", False, "orgnr", params)


def last_known(company: Company, conn: FortnoxConnection) -> Check:
    """The line from the company the connection last opened (when Fortnox does not say now)."""
    info = {
        "CompanyName": conn.fortnox_name,
        "OrganizationNumber": conn.fortnox_orgnr,
        "DatabaseNumber": conn.database_number,
    }
    return line(info, company, conn)


@dataclass(frozen=True)
class Mismatch:
    """Both companies of a connection whose organisation numbers differ, for the Fortnox page."""

    fortnox_name: str
    fortnox_orgnr: str
    company_name: str
    company_orgnr: str
    key: str
    confirmed_at: datetime | None = None
    confirmed_by: str = ""

    @property
    def confirmed(self) -> bool:
        """True when an admin confirmed this very pairing."""
        return self.confirmed_at is not None


def mismatch(session: Session, company: Company, conn: FortnoxConnection | None) -> Mismatch | None:
    """The connected Fortnox company when its organisation number differs, else None."""
    if conn is None or conn.status == tokens.DISCONNECTED or not conn.database_number:
        return None
    if not differs(conn.fortnox_orgnr, company.orgnr):
        return None
    key = identity(conn.database_number, conn.fortnox_orgnr, company.orgnr)
    at, by = None, ""
    if conn.orgnr_confirmed == key:
        at = conn.orgnr_confirmed_at
        who = session.get(User, conn.orgnr_confirmed_by) if conn.orgnr_confirmed_by else None
        by = who.email if who else ""
    return Mismatch(conn.fortnox_name, conn.fortnox_orgnr, company.name, company.orgnr, key, at, by)


def confirm(session: Session, company: Company, key: str, user: Any) -> bool:
    """An admin says the differing Fortnox company is the right one (audited); False if stale."""
    conn = tokens.connection(session, company.id or 0)
    seen = mismatch(session, company, conn)
    if conn is None or seen is None or seen.key != key or conn.status != tokens.CONNECTED:
        return False  # the connection changed since the page was shown: nothing to confirm
    conn.orgnr_confirmed, conn.orgnr_confirmed_at = key, utcnow()
    conn.orgnr_confirmed_by = getattr(user, "id", None)
    session.add(conn)
    record(
        session,
        action="fortnox.orgnr_confirmed",
        company_id=company.id,
        user=user,
        target=f"fortnox:{conn.database_number}",
        detail={
            "database_number": conn.database_number,
            "fortnox_name": conn.fortnox_name,
            "fortnox_orgnr": conn.fortnox_orgnr,
            "company_orgnr": company.orgnr,
        },
    )
    return True


def learn(conn: FortnoxConnection, name: Any, orgnr: Any, database: Any) -> None:
    """Keep which Fortnox company the connection opens, as CompanyInformation last said."""
    if database not in (None, ""):
        conn.database_number = str(database)[:40]
    conn.fortnox_name = str(name or "")[:200]
    conn.fortnox_orgnr = str(orgnr or "")[:20]
