"""The append-only audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import JSON, Field, SQLModel

from app.db import AwareDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    # One thing someone (or Kassabok) did; chained to the event before by hash.
    id: int | None = Field(default=None, primary_key=True)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    actor: str = Field(default="system", max_length=254)
    action: str = Field(index=True, max_length=60)
    target: str = Field(default="", max_length=200)
    detail: dict = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
