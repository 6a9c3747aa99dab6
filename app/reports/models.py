"""Ordered PDF audit reports and where their files are."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import JSON, Field, SQLModel

from app.db import AwareDateTime, utcnow


class ReportStatus(StrEnum):
    """Where a report's build stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"  # built, its PDF since deleted by retention; the fingerprint stays


class ReportBase(SQLModel):
    # What was asked for: company, period, stores (empty = all) and language.
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    period_start: date
    period_end: date
    store_ids: list = Field(default_factory=list, sa_type=JSON)
    language: str = Field(default="sv", max_length=5)


class Report(ReportBase, table=True):
    # One ordered report, its progress, and once built its file and fingerprint.
    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default=ReportStatus.QUEUED, max_length=10, index=True)
    progress: int = 0
    stage: str = Field(default="", max_length=60)
    # Set while queued or running and cleared when done: the database refuses a second live order.
    active_key: str | None = Field(default=None, max_length=64, unique=True)
    job_id: str = Field(default="", max_length=80)
    fingerprint: str = Field(default="", max_length=64)
    size: int = 0
    filename: str = Field(default="", max_length=200)
    ordered_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    ordered_by_name: str = Field(default="", max_length=254)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
    finished_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    error: str = Field(default="", max_length=2000)
