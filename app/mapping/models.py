"""Versions of a company's account mapping."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import JSON, Field, SQLModel, UniqueConstraint

from app.db import AwareDateTime, utcnow


class MappingVersion(SQLModel, table=True):
    # One saved kassabok.mapping/1 document; never edited, a save makes the next version.
    __table_args__ = (UniqueConstraint("company_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    version: int
    data: dict = Field(sa_type=JSON)
    comment: str = Field(default="", max_length=500)
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
