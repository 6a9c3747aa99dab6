"""Two-factor sign-in with TOTP (RFC 6238): secrets encrypted at rest, each code accepted once."""

from __future__ import annotations

import hmac
import time

import pyotp
import segno
from sqlalchemy import func
from sqlmodel import Session, select

from app.auth.models import Membership, User
from app.companies.models import Company
from app.crypto import decrypt, encrypt

ISSUER = "Kassabok"
STEP = 30


def new_secret() -> str:
    """A fresh base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_data_uri(text: str) -> str:
    """A QR code of text as an SVG data: URI (the CSP allows data: images)."""
    return segno.make(text, error="m").svg_data_uri(scale=5, border=2)


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step (now, or one either side for clock drift) whose code is code."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def code_matches(secret: str, code: str, now: float | None = None) -> bool:
    """Whether code is right for secret now (used to confirm a new secret)."""
    return _matching_step(secret, code, time.time() if now is None else now) is not None


def accept(session: Session, *, user: User, code: str, now: float | None = None) -> bool:
    """Whether code signs user in; a code (or an older one) is never accepted twice."""
    if not user.totp_enabled or not user.totp_secret:
        return False
    step = _matching_step(decrypt(user.totp_secret), code, time.time() if now is None else now)
    if step is None or step <= user.totp_last_step:
        return False
    user.totp_last_step = step
    session.add(user)
    session.flush()
    return True


def enable(session: Session, *, user: User, secret: str, code: str) -> bool:
    """Turn TOTP on with a secret the user's app shows code for; False when the code is wrong."""
    now = time.time()
    step = _matching_step(secret, code, now)
    if step is None:
        return False
    user.totp_secret = encrypt(secret)
    user.totp_enabled = True
    user.totp_last_step = step
    session.add(user)
    return True


def disable(session: Session, *, user: User) -> None:
    """Turn TOTP off and forget the secret."""
    user.totp_secret = ""
    user.totp_enabled = False
    user.totp_last_step = 0
    session.add(user)


def required_for(session: Session, user: User) -> bool:
    """Whether a company the user belongs to requires two-factor sign-in."""
    query = (
        select(func.count())
        .select_from(Membership)
        .join(Company, Company.id == Membership.company_id)  # type: ignore[arg-type]
        .where(Membership.user_id == user.id, Company.require_totp)
    )
    return session.exec(query).one() > 0
