"""Closures as the POS sent them, and payloads we had to refuse."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Field, Index, SQLModel, UniqueConstraint

from app.db import AwareDateTime, Money, utcnow


class ClosureState(StrEnum):
    """Where a closure revision stands in the sync (moved only by app.posting.state)."""

    RECEIVED = "received"
    HELD = "held"
    AWAITING_APPROVAL = "awaiting_approval"
    QUEUED = "queued"
    POSTING = "posting"
    POSTED = "posted"
    FAILED = "failed"
    SUPERSEDED = "superseded"


class Closure(SQLModel, table=True):
    # One revision of one Z-report, exactly as received, and its sync state.
    __table_args__ = (
        UniqueConstraint("company_id", "closure_id", "revision"),
        Index("ix_closure_company_id_business_date", "company_id", "business_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    store_pk: int | None = Field(default=None, foreign_key="store.id", index=True)
    closure_id: str = Field(max_length=100, index=True)
    revision: int = 1
    is_latest: bool = Field(default=True, index=True)
    store_code: str = Field(max_length=40)
    register_id: str = Field(max_length=40)
    z_number: int
    business_date: date = Field(index=True)
    payload: dict = Field(sa_type=JSON)
    payload_hash: str = Field(max_length=64)
    source: str = Field(default="api", max_length=20)
    received_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    state: str = Field(default=ClosureState.RECEIVED, max_length=20, index=True)
    state_reason: str = Field(default="", max_length=2000)
    hold_code: str = Field(default="", max_length=60)
    state_changed_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    state_version: int = 0
    attempts: int = 0
    outcome_unknown: bool = False
    note: str = Field(default="", max_length=2000)
    mapping_version_id: int | None = Field(default=None, foreign_key="mappingversion.id")
    voucher_series: str | None = Field(default=None, max_length=10)
    voucher_number: int | None = None
    voucher_year: int | None = None
    posted_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    nothing_to_book: bool = False
    superseded_by_id: int | None = Field(default=None, foreign_key="closure.id")
    reversal_series: str | None = Field(default=None, max_length=10)
    reversal_number: int | None = None
    reversal_year: int | None = None
    grand_total_sales: Decimal | None = Field(default=None, sa_type=Money)
    grand_total_returns: Decimal | None = Field(default=None, sa_type=Money)


def grand_totals(payload: dict[str, Any]) -> dict[str, Decimal]:
    """The register's grand totals a payload carries, as the closure's columns (none if absent)."""
    sent = payload.get("grand_total")
    if not isinstance(sent, dict):
        return {}
    return {
        "grand_total_sales": Decimal(str(sent["sales"])),
        "grand_total_returns": Decimal(str(sent["returns"])),
    }


@sa.event.listens_for(Closure, "before_insert")
def _keep_grand_totals(_mapper: Any, _connection: Any, closure: Closure) -> None:
    """The register's grand totals as sent, in their columns, however the closure was stored."""
    # A listener: uploads through the ORM, the demo seed and tests insert rows (ingest's own
    # INSERT gives them itself).
    if closure.grand_total_sales is None:
        for key, value in grand_totals(closure.payload or {}).items():
            setattr(closure, key, value)


class RejectedPayload(SQLModel, table=True):
    # A payload that failed validation or conflicted: kept raw with its problems.
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    received_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
    source: str = Field(default="api", max_length=20)
    status_code: int = 422
    closure_id: str | None = Field(default=None, max_length=100)
    raw: str
    raw_b64: str | None = None
    size: int = 0
    truncated: bool = False
    origin: str = Field(default="", max_length=200)
    errors: list = Field(default_factory=list, sa_type=JSON)
    resolved_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    resolved_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
