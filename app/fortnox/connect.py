"""Connecting a company to Fortnox: consent, one-time links, the callback, disconnecting."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import session as browser
from sqlmodel import Session, select

from app.audit.service import record
from app.companies.models import Company
from app.crypto import decrypt
from app.db import utcnow
from app.fortnox import api, chart, oauth, orgnr, tokens
from app.fortnox.errors import FortnoxError
from app.fortnox.models import AuthLink, FortnoxConnection

log = logging.getLogger(__name__)
PENDING = "fortnox_oauth"  # the browser session's key for a consent under way
LINK_LIFETIME = timedelta(hours=24)


class ConnectRefused(Exception):
    """The callback cannot be accepted (state mismatch, used link, Fortnox said no)."""


@dataclass(frozen=True)
class Connected:
    """What the callback connected."""

    company_id: int
    fortnox_name: str
    fortnox_orgnr: str
    orgnr_differs: bool
    via_link: bool
    expected_orgnr: str = ""  # this company's, which the Fortnox company's was held against


def _digest(token: str) -> str:
    """The SHA-256 hex of a link token (only the digest is stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def begin(company: Company, *, link_id: int | None = None, user_id: int | None = None) -> str:
    """Remember a fresh state in the browser's session; the consent page address."""
    state = secrets.token_urlsafe(32)
    browser[PENDING] = {
        "state": state,
        "company_id": company.id,
        "link_id": link_id,
        "user_id": user_id,
    }
    return oauth.authorize_url(company, state)


def create_link(session: Session, company: Company, user: Any) -> str:
    """A single-use, 24-hour authorization address for the customer's Fortnox admin."""
    token = secrets.token_urlsafe(32)
    link = AuthLink(
        company_id=company.id,
        token_hash=_digest(token),
        expires_at=utcnow() + LINK_LIFETIME,
        created_by=getattr(user, "id", None),
    )
    session.add(link)
    session.flush()
    record(
        session,
        action="fortnox.link_created",
        company_id=company.id,
        user=user,
        actor=None if user else "cli",
        target=f"link:{link.id}",
        detail={"expires_at": link.expires_at.isoformat()},
    )
    return oauth.public_url("fortnox.authorize_link", token=token)


def open_link(session: Session, token: str) -> tuple[AuthLink, Company]:
    """The link and its company when the token is unused and in time, else ConnectRefused."""
    link = session.exec(select(AuthLink).where(AuthLink.token_hash == _digest(token))).first()
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        raise ConnectRefused("link")
    company = session.get(Company, link.company_id)
    if company is None:
        raise ConnectRefused("link")
    return link, company


def _claim_link(session: Session, link_id: int) -> None:
    """Use the link up, once: a second callback through it is refused."""
    done = session.execute(
        sa.update(AuthLink)
        .where(AuthLink.id == link_id, AuthLink.used_at.is_(None))  # type: ignore[arg-type,union-attr]
        .where(AuthLink.expires_at > utcnow())  # type: ignore[arg-type]
        .values(used_at=utcnow())
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise ConnectRefused("link")


def complete(session: Session, *, state: str, code: str, error: str, user: Any) -> Connected:
    """Accept Fortnox's redirect: check state, store the pair, learn which company it opens."""
    pending = browser.pop(PENDING, None)
    if not pending or not state or not hmac.compare_digest(str(pending["state"]), state):
        raise ConnectRefused("state")
    company = session.get(Company, int(pending["company_id"]))
    if company is None:
        raise ConnectRefused("state")
    if error or not code:
        record(
            session,
            action="fortnox.consent_denied",
            company_id=company.id,
            user=user,
            actor=None if getattr(user, "id", None) else "fortnox-admin",
            detail={"error": error or "no code"},
        )
        session.commit()
        raise ConnectRefused("denied")
    if pending.get("link_id"):
        _claim_link(session, int(pending["link_id"]))
    try:
        answer = oauth.exchange_code(code)
    except FortnoxError as err:
        session.rollback()  # the link stays usable: nothing was connected
        raise ConnectRefused(f"exchange: {err}") from err
    conn = tokens.connection(session, company.id or 0) or FortnoxConnection(company_id=company.id)
    previous = conn.database_number
    tokens.store_pair(conn, answer)
    conn.connected_at = utcnow()
    chart.forget(company.id or 0)  # it may be another Fortnox company's chart
    conn.preflight, conn.preflight_at = [], None  # so are the checks: a post runs them anew
    session.add(conn)
    session.commit()  # the pair is saved before anything uses it
    info = _company_information(session, company.id or 0)
    conn.database_number = ""  # unknown until Fortnox says which company the token opens
    orgnr.learn(
        conn, info.get("CompanyName"), info.get("OrganizationNumber"), info.get("DatabaseNumber")
    )
    # Posting waits for an admin's confirmation (pre-flight) unless it opens this company.
    differs = bool(info) and orgnr.differs(conn.fortnox_orgnr, company.orgnr)
    session.add(conn)
    record(
        session,
        action="fortnox.connected",
        company_id=company.id,
        user=user,
        actor=None if getattr(user, "id", None) else "fortnox-admin (link)",
        target=f"fortnox:{conn.database_number}",
        detail={
            "database_number": conn.database_number,
            "fortnox_name": conn.fortnox_name,
            "fortnox_orgnr": conn.fortnox_orgnr,
            "orgnr_differs": differs,
            "previous_database_number": previous or None,
            "scope": conn.scope,
            "via_link": bool(pending.get("link_id")),
        },
    )
    session.commit()
    return Connected(
        company.id or 0,
        conn.fortnox_name,
        conn.fortnox_orgnr,
        differs,
        bool(pending["link_id"]),
        company.orgnr,
    )


def _company_information(session: Session, company_id: int) -> dict:
    """CompanyInformation through the new connection ({} if Fortnox will not say)."""
    try:
        with api.client_for(session, company_id) as client:
            return api.company_information(client)
    except FortnoxError:
        log.warning("company %s: companyinformation unavailable after connect", company_id)
        return {}


def disconnect(session: Session, company: Company, user: Any) -> bool:
    """Revoke the refresh token at Fortnox and forget the pair; True when Fortnox confirmed."""
    conn = tokens.connection(session, company.id or 0)
    if conn is None or conn.status == tokens.DISCONNECTED:
        return False
    revoked = False
    if conn.refresh_token_enc:
        try:
            revoked = oauth.revoke(decrypt(conn.refresh_token_enc))
        except FortnoxError as err:
            log.warning("company %s: revoke failed: %s", company.id, err)
    chart.forget(company.id or 0)
    conn.status = tokens.DISCONNECTED
    conn.access_token_enc = conn.refresh_token_enc = ""
    conn.expires_at = None
    conn.updated_at = utcnow()
    session.add(conn)
    record(
        session,
        action="fortnox.disconnected",
        company_id=company.id,
        user=user,
        actor=None if user else "cli",
        target=f"fortnox:{conn.database_number}",
        detail={"revoked": revoked},
    )
    return revoked
