"""Helpers for the ingest tests: example closures, API tokens, request headers."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.companies.models import ApiToken, Company

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "closures"
EXAMPLE = json.loads((FIXTURES / "cafe-full-day.json").read_text(encoding="utf-8"))


def closure(**changes: Any) -> dict[str, Any]:
    """A fresh copy of the café example with top-level fields changed."""
    payload = copy.deepcopy(EXAMPLE)
    payload.update(changes)
    return payload


def body(payload: object) -> bytes:
    """A payload as the POS would send it."""
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def make_token(session: Session, company: Company, token: str = "kb_live_secret") -> str:
    """An API token for company; only its hash is stored, as the token page does."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    session.add(ApiToken(company_id=company.id, prefix=token[:8], token_hash=digest))
    session.commit()
    return token


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for token."""
    return {"Authorization": f"Bearer {token}"}
