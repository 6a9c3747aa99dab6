"""A payout's fee voucher: one row per company and payout reference, with its posting state."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import AwareDateTime, Money, utcnow


class FeeState(StrEnum):
    """Where a payout's fee voucher stands (in doubt: outcome_unknown while posting or queued)."""

    QUEUED = "queued"  # waiting for its job
    POSTING = "posting"  # a job owns it
    HELD = "held"  # cannot post: the reason says what to fix
    POSTED = "posted"  # in Fortnox: series, number and year recorded
    FAILED = "failed"  # retries ran out; the reason says why
    NOTHING = "nothing"  # the payout's fees add up to 0,00: nothing to post


class PayoutFee(SQLModel, table=True):
    # The fee voucher of one payout (the settlement lines sharing a payout reference).
    __tablename__ = "payoutfee"
    __table_args__ = (UniqueConstraint("company_id", "payout_reference"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    file_id: int | None = Field(
        default=None, foreign_key="settlementfile.id", index=True, ondelete="SET NULL"
    )
    payout_reference: str = Field(max_length=100)
    acquirer: str = Field(default="", max_length=60)  # the profile the file was read with
    payout_date: date
    amount: Decimal = Field(sa_type=Money)  # the payout's fees: debited to the fee account
    state: str = Field(default=FeeState.QUEUED, max_length=12, index=True)
    state_version: int = 0
    state_reason: str = Field(default="", max_length=2000)
    hold_code: str = Field(default="", max_length=40)
    state_changed_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    attempts: int = 0
    outcome_unknown: bool = False  # a send is (or was) in flight: Fortnox is searched first
    voucher_series: str | None = Field(default=None, max_length=10)
    voucher_number: int | None = None
    voucher_year: int | None = None
    posted_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
