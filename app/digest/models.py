"""A user's choice about the daily digest, and the digests sent (one per user and day)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import AwareDateTime, utcnow


class DigestPreference(SQLModel, table=True):
    # A user's digest setting; no row means the digest is on.
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    enabled: bool = True
    changed_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class DigestSent(SQLModel, table=True):
    # One digest handed to the mail server: the unique (user, day) makes a second send fail.
    __table_args__ = (UniqueConstraint("user_id", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    day: date
    items: int = 0  # store-days and approvals it named
    sent_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
