"""The Z-report of each posted closure revision, kept byte for byte, and its way to the voucher."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from app.db import AwareDateTime, utcnow


class Source:
    """Who made a kept Z-report."""

    POS = "pos"  # the register's own, sent as the closure's z_report
    KASSABOK = "kassabok"  # rendered by Kassabok from the closure because none was sent


class ZReport(SQLModel, table=True):
    # The original document of one closure revision; kept until keep_until (bokföringslagen).
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    # RESTRICT: a closure whose original is kept cannot be deleted from under it.
    closure_pk: int = Field(foreign_key="closure.id", unique=True, ondelete="RESTRICT")
    source: str = Field(max_length=10)
    content_type: str = Field(max_length=100)
    filename: str = Field(max_length=200)
    sha256: str = Field(max_length=64)
    size: int
    data: bytes | None = Field(default=None, sa_type=sa.LargeBinary)  # None only once pruned
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    keep_until: date
    pruned_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class AttachState:
    """Where the Z-report stands on its way to the voucher in Fortnox."""

    PENDING = "pending"  # not in Fortnox yet
    UPLOADED = "uploaded"  # in Fortnox's archive, not connected to the voucher yet
    CONNECTED = "connected"  # connected to the voucher: done
    FAILED = "failed"  # stopped for a reason a person fixes (or retries ran out); tried again later


class ZAttachment(SQLModel, table=True):
    # One closure revision's Z-report in Fortnox: its file there and whether it is on the voucher.
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    closure_pk: int = Field(foreign_key="closure.id", unique=True, ondelete="RESTRICT")
    state: str = Field(default=AttachState.PENDING, max_length=12, index=True)
    reason: str = Field(default="", max_length=40)  # a code (app.attachments.texts)
    message: str = Field(default="", max_length=2000)  # Fortnox's own words, when it said any
    file_name: str = Field(max_length=200)  # deterministic: found again after a lost answer
    file_id: str | None = Field(default=None, max_length=100)
    upload_unknown: bool = False  # an upload may have landed without its answer: search first
    connect_unknown: bool = False  # likewise the connection: read the voucher's first
    attempts: int = 0
    next_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    connected_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class RetentionError(Exception):
    """An original was to be deleted, or its bytes changed, before its retention period ended."""


@event.listens_for(OrmSession, "before_flush")
def _keep_originals(session: OrmSession, _context: Any, _instances: Any) -> None:
    """Refuse to delete a kept Z-report, or change its bytes, on or before its keep_until."""
    today = date.today()
    for row in session.deleted:
        if isinstance(row, ZReport) and row.keep_until >= today:
            raise RetentionError(f"Z-report {row.id} is kept until {row.keep_until}")
    for row in session.dirty:
        if isinstance(row, ZReport) and row.keep_until >= today:
            state = inspect(row)
            if any(state.attrs[name].history.has_changes() for name in ("data", "sha256", "size")):
                raise RetentionError(f"Z-report {row.id} is kept unchanged until {row.keep_until}")
