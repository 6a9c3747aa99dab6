"""The POS's API tokens: shown once when made, stored only as a SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import sqlalchemy as sa
from flask import abort
from sqlmodel import Session, select

from app.audit.service import record
from app.companies.models import ApiToken, Company
from app.db import utcnow

PREFIX = "kb_"


def digest(token: str) -> str:
    """The SHA-256 that is stored and looked up (the closures API computes the same)."""
    return hashlib.sha256(token.strip().encode("utf-8", "replace")).hexdigest()


_LIVE = (
    select(ApiToken, Company)
    .join(Company, Company.id == ApiToken.company_id)  # type: ignore[arg-type]
    .where(ApiToken.token_hash == sa.bindparam("hash"), ApiToken.revoked_at.is_(None))  # type: ignore[union-attr]
)


def live_token(session: Session, plain: str) -> tuple[ApiToken, Company] | None:
    """The unrevoked token whose text plain is, with its company, in one indexed lookup."""
    found = session.exec(_LIVE, params={"hash": digest(plain)}).first()  # built once: every call
    return (found[0], found[1]) if found else None


def tokens_of(session: Session, *, company: Company) -> list[ApiToken]:
    """Every token of the company, newest first."""
    query = select(ApiToken).where(ApiToken.company_id == company.id)
    return list(session.exec(query.order_by(ApiToken.id.desc())).all())  # type: ignore[union-attr]


def create_token(
    session: Session, *, company: Company, name: str, user: Any
) -> tuple[ApiToken, str]:
    """A new token and its plain text, which is never stored (not committed)."""
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        company_id=company.id,
        name=(name.strip() or "POS")[:100],
        prefix=plain[:10],
        token_hash=digest(plain),
        created_by=getattr(user, "id", None),
    )
    session.add(token)
    session.flush()
    record(
        session,
        action="token.created",
        company_id=company.id,
        user=user,
        actor=None if user else "cli",
        target=f"{token.name} ({token.prefix}…)",
        detail={"token_id": token.id},
    )
    return token, plain


def revoke_token(session: Session, *, company: Company, token_id: int, user: Any) -> ApiToken:
    """Revoke one of the company's tokens (404 for another company's)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.company_id != company.id:
        abort(404)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        record(
            session,
            action="token.revoked",
            company_id=company.id,
            user=user,
            target=f"{token.name} ({token.prefix}…)",
            detail={"token_id": token.id},
        )
    return token
