"""Clearing: what each store-day's takings became (settled, in transit, late, short) and why."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlmodel import JSON, Field, Index, SQLModel, UniqueConstraint

from app.db import AwareDateTime, Money, utcnow


class ClearingAlias(SQLModel, table=True):
    # How an acquirer or a deposit slip writes a store or payment method, in Kassabok's codes.
    __table_args__ = (UniqueConstraint("company_id", "kind", "word"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=10)  # store (a terminal or acquirer store id) or method
    word: str = Field(max_length=80)  # as the acquirer writes it, e.g. T-1001 or visa
    code: str = Field(max_length=40)  # the store's POS id or the POS payment method


class ClearingSetting(SQLModel, table=True):
    # The company's clearing settings: after how many banking days unsettled takings are late.
    company_id: int = Field(foreign_key="company.id", primary_key=True, ondelete="CASCADE")
    late_after: int = 5


class ClearingDay(SQLModel, table=True):
    # One store's takings of one day and payment method, and what became of them.
    __table_args__ = (
        UniqueConstraint("company_id", "store_code", "business_date", "method"),
        Index("ix_clearingday_company_id_business_date", "company_id", "business_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    store_code: str = Field(max_length=40)
    business_date: date
    method: str = Field(max_length=40)
    account: str = Field(max_length=4)
    takings: Decimal = Field(sa_type=Money)  # what the closures booked on the account
    settled: Decimal = Field(sa_type=Money)  # what the acquirer's lines (or deposits) say
    refunds: Decimal = Field(sa_type=Money)  # the acquirer's refund lines of the day
    fees: Decimal = Field(sa_type=Money)
    in_bank: Decimal = Field(sa_type=Money)  # what of it reached the bank
    status: str = Field(max_length=12)
    difference: Decimal = Field(sa_type=Money)  # takings - settled (short when positive)
    due: date  # the last banking day it may take
    closure_ids: list = Field(default_factory=list, sa_type=JSON)
    line_ids: list = Field(default_factory=list, sa_type=JSON)
    payouts: list = Field(default_factory=list, sa_type=JSON)  # payout references
    entry_ids: list = Field(default_factory=list, sa_type=JSON)  # bank entries that paid it
    computed_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class ClearingPayout(SQLModel, table=True):
    # One payout (settlement lines sharing a payout reference, or one cash deposit) and its bank.
    __table_args__ = (UniqueConstraint("company_id", "kind", "reference"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    kind: str = Field(default="payout", max_length=10)  # payout (acquirer) or deposit (cash)
    reference: str = Field(max_length=100)
    account: str = Field(default="", max_length=4)
    store_code: str = Field(default="", max_length=40)  # a deposit's store
    pay_date: date | None = None  # the payout's date, or the deposit's booking date
    gross: Decimal = Field(sa_type=Money)
    fees: Decimal = Field(sa_type=Money)
    amount: Decimal = Field(sa_type=Money)  # expected in the bank: gross - fees
    in_bank: Decimal = Field(sa_type=Money)
    booked_on: date | None = None  # the bank's booking date (the last, for a split payout)
    due: date | None = None  # its days' latest due day: missing after it
    how: str = Field(default="", max_length=10)  # reference, amount, manual; "" not in the bank
    difference: Decimal = Field(sa_type=Money)  # amount - in_bank
    entry_ids: list = Field(default_factory=list, sa_type=JSON)
    line_ids: list = Field(default_factory=list, sa_type=JSON)
    days: list = Field(default_factory=list, sa_type=JSON)  # [store, date, method] it pays


class ClearingDecision(SQLModel, table=True):
    # An accountant's match (or unmatch) of a bank entry with a payout or a store's deposit.
    __table_args__ = (UniqueConstraint("company_id", "entry_id"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    entry_id: int = Field(foreign_key="bankentry.id", ondelete="CASCADE")
    action: str = Field(max_length=10)  # match or unmatch
    kind: str = Field(default="", max_length=10)  # payout or deposit (for a match)
    reference: str = Field(default="", max_length=100)  # payout reference or store code
    decided_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    decided_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    note: str = Field(default="", max_length=500)
