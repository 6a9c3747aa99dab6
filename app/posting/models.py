"""The Fortnox documents besides the voucher that one closure revision made."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import AwareDateTime, utcnow


class DocState:
    """Where one invoice or order stands."""

    PENDING = "pending"  # not sent
    SENDING = "sending"  # sent, answer not recorded yet: search before sending again
    CREATED = "created"  # Fortnox gave it a number
    CANCELLED = "cancelled"  # its revision was superseded and Fortnox cancelled it
    BOOKED = "booked"  # superseded, but bookkept (or invoiced) in Fortnox: the accountant is told
    LEFT = "left"  # superseded and booked; a person took it over (credits it by hand)


class PostedDocument(SQLModel, table=True):
    # An invoice or order for one invoice sale of a closure, keyed so a retry finds it.
    __table_args__ = (UniqueConstraint("closure_pk", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    closure_pk: int = Field(foreign_key="closure.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=10)
    reference: str = Field(max_length=100)
    key: str = Field(max_length=200, index=True)
    number: str | None = Field(default=None, max_length=40)
    state: str = Field(default=DocState.PENDING, max_length=20)
    error: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
