"""Payloads Kassabok refused: kept as sent (nothing is lost), listed, downloaded, resolved."""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlmodel import Session, func, select

from app.audit.service import record
from app.closures.models import RejectedPayload
from app.closures.problems import Problem, _
from app.companies.models import Company
from app.db import utcnow

HEAD_BYTES = 64 * 1024


def _clean(text: str) -> str:
    """Text any database and page can hold: no NUL, no lone surrogate."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def readable(raw: bytes) -> tuple[str, str | None]:
    """The payload as text, and base64 of the bytes when the text cannot be them exactly."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _clean(raw.decode("utf-8", errors="replace")), base64.b64encode(raw).decode()
    if "\x00" in text:
        return _clean(text), base64.b64encode(raw).decode()
    return text, None


def keep_refused(
    session: Session,
    *,
    company: Company,
    raw: bytes,
    source: str,
    status_code: int,
    problems: list[Problem],
    closure_id: str | None = None,
    origin: str = "",
    size: int | None = None,
    user: Any = None,
    actor: str | None = None,
) -> RejectedPayload:
    """Keep a refused payload raw with its problems, and record the refusal."""
    text, b64 = readable(raw)
    size = len(raw) if size is None else size
    rejected = RejectedPayload(
        company_id=company.id,
        source=source,
        status_code=status_code,
        closure_id=_clean(closure_id)[:100] if closure_id else None,
        raw=text,
        raw_b64=b64,
        size=size,
        truncated=size > len(raw),
        origin=_clean(origin)[:200],
        errors=[{"pointer": _clean(p.pointer), "message": _clean(p.message)} for p in problems],
    )
    session.add(rejected)
    session.flush()
    record(
        session,
        action="closure.rejected",
        company_id=company.id,
        user=user,
        actor=actor,
        target=rejected.closure_id or f"rejected:{rejected.id}",
        detail={
            "status": status_code,
            "problems": getattr(problems, "total", len(problems)),
            "source": source,
        },  # fmt: skip
    )
    return rejected


def refuse_oversized(
    session: Session,
    *,
    company: Company,
    head: bytes,
    size: int | None,
    limit: int,
    source: str,
    actor: str | None = None,
) -> RejectedPayload:
    """Keep the start of a body too large to take, with its size, as a 413 refusal."""
    if size is None:
        msg = _("The body is larger than the limit of {0} bytes; send one closure per request.")
        problem = Problem("", msg.format(limit))
    else:
        msg = _("The body is {0} bytes, more than the limit of {1}; send one closure per request.")
        problem = Problem("", msg.format(size, limit))
    return keep_refused(
        session,
        company=company,
        raw=head[:HEAD_BYTES],
        source=source,
        status_code=413,
        problems=[problem],
        size=size if size is not None else limit + 1,
        actor=actor,
    )


def list_refused(
    session: Session, company: Company, *, resolved: bool = False, limit: int = 200
) -> tuple[list[RejectedPayload], int]:
    """The newest refused payloads of the company (open ones unless resolved), and how many."""
    query = select(RejectedPayload).where(RejectedPayload.company_id == company.id)
    if not resolved:
        query = query.where(RejectedPayload.resolved_at.is_(None))  # type: ignore[union-attr]
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    order = RejectedPayload.id.desc()  # type: ignore[union-attr]
    return list(session.exec(query.order_by(order).limit(limit)).all()), total


def get_refused(session: Session, company: Company, rejected_id: int) -> RejectedPayload | None:
    """One refused payload of the company, or None."""
    rejected = session.get(RejectedPayload, rejected_id)
    return rejected if rejected is not None and rejected.company_id == company.id else None


def resolve(session: Session, rejected: RejectedPayload, *, user: Any) -> RejectedPayload:
    """Mark a refused payload dealt with, and record who did."""
    if rejected.resolved_at is None:
        rejected.resolved_at = utcnow()
        rejected.resolved_by = getattr(user, "id", None)
        session.add(rejected)
        record(
            session,
            action="closure.rejected_resolved",
            company_id=rejected.company_id,
            user=user,
            target=rejected.closure_id or f"rejected:{rejected.id}",
            detail={"rejected_id": rejected.id},
        )
    return rejected


def original_bytes(rejected: RejectedPayload) -> bytes:
    """The bytes as they were sent (the first 64 KiB of an oversized body)."""
    if rejected.raw_b64:
        return base64.b64decode(rejected.raw_b64)
    return rejected.raw.encode("utf-8")


def pretty(rejected: RejectedPayload) -> str | None:
    """The payload indented for reading, or None when it is not JSON."""
    try:
        value = json.loads(rejected.raw)
    except (ValueError, RecursionError):
        return None
    return _clean(json.dumps(value, indent=2, ensure_ascii=False))
