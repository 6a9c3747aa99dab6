"""Addresses of documents in Fortnox's web app, where a person reads a voucher or an invoice.

Fortnox's web app puts the company in the path: `https://apps.fortnox.se/app/<workspace>/...`,
where <workspace> is a 32-hex id per Fortnox company that no API answers with. So an admin pastes
any address of the company's Fortnox pages once (what the browser's address bar shows), and the
id is kept with the Fortnox company it was given for: a reconnect to another company forgets it.

The document paths, as the web app (and integrations that link into it) write them:
  voucher  /app/<workspace>/bf/voucher/<series>-<number>   e.g. .../bf/voucher/A-12
  invoice  /app/<workspace>/kf/invoice/<document number>   e.g. .../kf/invoice/1042
A voucher opens in the financial year chosen in Fortnox (the path has no year).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from flask import current_app, has_request_context, request
from sqlmodel import Session, select

from app.fortnox.models import FortnoxConnection

WORKSPACE = re.compile(r"[0-9a-f]{32}")
_IN_PATH = re.compile(r"/app/([0-9a-fA-F]{32})(?:/|$)")
PATHS = {"voucher": "bf/voucher/{series}-{number}", "invoice": "kf/invoice/{number}"}


def web_base() -> str:
    """Where Fortnox's web app answers: FORTNOX_WEB_URL, else FORTNOX_AUTH_URL's (the same host)."""
    cfg = current_app.config
    return str(cfg.get("FORTNOX_WEB_URL") or cfg["FORTNOX_AUTH_URL"]).rstrip("/")


def workspace_from(address: str) -> str | None:
    """The company's workspace id in a pasted Fortnox address (or the bare id), else None."""
    text = (address or "").strip()
    if WORKSPACE.fullmatch(text.lower()):
        return text.lower()
    found = _IN_PATH.search(urlsplit(text).path if "://" in text else text)
    return found.group(1).lower() if found else None


def workspace(conn: FortnoxConnection | None) -> str | None:
    """The workspace id kept for the Fortnox company the connection opens now, if any."""
    if conn is None or not conn.web_workspace:
        return None
    given_for, _sep, found = conn.web_workspace.rpartition(":")
    return found if given_for == conn.database_number and WORKSPACE.fullmatch(found) else None


def remember(conn: FortnoxConnection, address: str) -> str | None:
    """Keep the workspace id of a pasted address for the connection's Fortnox company."""
    found = workspace_from(address)
    if found is not None:
        conn.web_workspace = f"{conn.database_number}:{found}"
    return found


def home(conn: FortnoxConnection | None) -> str:
    """The company's start address in Fortnox's web app, or "" while its workspace is unknown."""
    found = workspace(conn)
    return f"{web_base()}/app/{found}/" if found else ""


def document_url(space: str | None, kind: str, number: object, series: str | None = None) -> str:
    """A voucher's or invoice's address in Fortnox's web app ("" when it cannot be made)."""
    path = PATHS.get(kind)
    if not space or path is None or number in (None, "") or (kind == "voucher" and not series):
        return ""
    parts = {"series": quote(str(series or ""), safe=""), "number": quote(str(number), safe="")}
    return f"{web_base()}/app/{space}/{path.format(**parts)}"


def _workspace_of(company_id: int) -> str | None:
    """The company's workspace id, read once per request (on the request: g may outlive it)."""
    cache: dict[int, str | None] = {}
    if has_request_context():
        cache = request.__dict__.setdefault("_fortnox_workspaces", {})
    if company_id not in cache:
        from app.db import get_session

        session: Session = get_session()
        query = select(FortnoxConnection).where(FortnoxConnection.company_id == company_id)
        cache[company_id] = workspace(session.exec(query).first())
    return cache[company_id]


def fortnox_link(company_id: Any, kind: str, number: object, series: str | None = None) -> str:
    """The Jinja global `fortnox_link`: a document's address in Fortnox, or "" when unknown."""
    if not company_id:
        return ""
    return document_url(_workspace_of(int(company_id)), kind, number, series)


def save(session: Session, conn: FortnoxConnection | None, address: str, user: Any) -> str | None:
    """Keep the workspace id of a pasted address; what to fix instead when it has none."""
    from flask_babel import gettext as _

    from app.audit.service import record

    if conn is None or not conn.database_number:
        return _("Connect Kassabok to Fortnox first: the address belongs to that Fortnox company.")
    if not address.strip():
        return _("Paste the address of any page of this company in Fortnox.")
    found = remember(conn, address)
    if found is None:
        return _(
            "That is not the address of a company in Fortnox. It starts with "
            "%(base)s/app/ and 32 letters and digits; copy it from the browser's address bar "
            "while Fortnox shows this company.",
            base=web_base(),
        )
    session.add(conn)
    record(
        session,
        action="fortnox.web_address",
        company_id=conn.company_id,
        user=user,
        target=f"fortnox:{conn.database_number}",
        detail={"workspace": found},
    )
    return None
