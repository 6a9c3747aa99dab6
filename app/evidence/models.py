"""An accountant's explanations of breaks in a register's Z-chain."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import Field, Index, SQLModel

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
