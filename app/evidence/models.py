"""Explanations of breaks in a register's Z-chain, and the last VAT tie-out of each month."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import JSON, Field, Index, SQLModel, UniqueConstraint

from app.db import AwareDateTime, Money, utcnow


class ChainExplanation(SQLModel, table=True):
    # Why one break in a register's Z-chain is in order, who said so and when (audited).
    __table_args__ = (Index("ix_chainexplanation_company_id_key", "company_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=300)  # the break's key (app.evidence.chain.Break.key)
    store_code: str = Field(max_length=40)
    register_id: str = Field(max_length=40)
    kind: str = Field(max_length=30)
    amount: Decimal | None = Field(default=None, sa_type=Money)  # as the break showed it then
    comment: str = Field(max_length=2000)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class VatTieout(SQLModel, table=True):
    # A month's VAT tie-out as last read from Fortnox: what its page and the report show.
    __table_args__ = (UniqueConstraint("company_id", "month"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    month: str = Field(max_length=7)  # YYYY-MM
    result: dict = Field(default_factory=dict, sa_type=JSON)
    read_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
