"""Fortnox's answers cached for reconciling, the last check per closure and store-day, reviews."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Text
from sqlmodel import JSON, Field, Index, SQLModel, UniqueConstraint

from app.db import AwareDateTime, Money, utcnow


class FortnoxVoucher(SQLModel, table=True):
    # A voucher as Fortnox listed it; its rows are fetched once (a voucher never changes).
    __table_args__ = (UniqueConstraint("company_id", "year", "series", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    year: int
    series: str = Field(max_length=10)
    number: int
    transaction_date: date = Field(index=True)
    description: str = Field(default="", max_length=1000)
    reference_type: str = Field(default="", max_length=30)
    key: str | None = Field(default=None, max_length=200, index=True)
    rows_fetched: bool = False
    missing: bool = False  # we recorded it, Fortnox answered "no such voucher"
    fetched_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class FortnoxVoucherRow(SQLModel, table=True):
    # One row of a cached voucher (removed rows are not kept).
    id: int | None = Field(default=None, primary_key=True)
    voucher_id: int = Field(foreign_key="fortnoxvoucher.id", index=True, ondelete="CASCADE")
    account: str = Field(max_length=10)
    cost_center: str = Field(default="", max_length=20, index=True)
    debit: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    credit: Decimal = Field(default=Decimal("0.00"), sa_type=Money)


class FortnoxDocument(SQLModel, table=True):
    # An invoice or order carrying a Kassabok key; refreshed while it may still change.
    __table_args__ = (UniqueConstraint("company_id", "kind", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=10)
    number: str = Field(max_length=40)
    key: str = Field(default="", max_length=200, index=True)
    document_date: date | None = Field(default=None, index=True)
    total: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    vat: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    round_off: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    cancelled: bool = False
    booked: bool = False
    invoice_reference: str = Field(default="", max_length=40)
    rows: list = Field(default_factory=list, sa_type=JSON)  # [[account, vat, total], ...]
    rows_fetched: bool = False
    missing: bool = False
    fetched_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class SyncCursor(SQLModel, table=True):
    # How far one company's cache reaches, and when each listing last ran.
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", unique=True, ondelete="CASCADE")
    years: list = Field(default_factory=list, sa_type=JSON)  # [{Id, FromDate, ToDate}]
    voucher_synced: dict = Field(default_factory=dict, sa_type=JSON)  # year id -> ISO time
    covered_from: date | None = None
    covered_to: date | None = None
    docs_from: date | None = None
    docs_to: date | None = None
    docs_synced: dict = Field(default_factory=dict, sa_type=JSON)  # kind -> ISO time
    scanned_from: date | None = None
    scanned_to: date | None = None
    overlaps: list = Field(default_factory=list, sa_type=JSON)
    last_run_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    last_requests: int = 0


class ClosureCheck(SQLModel, table=True):
    # The last reconciliation of one closure revision against Fortnox.
    __table_args__ = (
        Index("ix_closurecheck_company_id_business_date", "company_id", "business_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    closure_pk: int = Field(foreign_key="closure.id", unique=True, ondelete="CASCADE")
    business_date: date = Field(index=True)
    store_code: str = Field(max_length=40)
    status: str = Field(max_length=20, index=True)
    reason: str = Field(default="", max_length=2000)
    state_version: int = 0
    detail: dict = Field(default_factory=dict, sa_type=JSON)
    checked_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class StoreDayCheck(SQLModel, table=True):
    # POS totals against every Fortnox row on the store's cost center for one day.
    __table_args__ = (
        UniqueConstraint("company_id", "store_code", "business_date"),
        Index("ix_storedaycheck_company_id_business_date", "company_id", "business_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    store_pk: int | None = Field(default=None, foreign_key="store.id", ondelete="SET NULL")
    store_code: str = Field(max_length=40)
    business_date: date = Field(index=True)
    status: str = Field(max_length=20)
    differs: bool = False
    pos_total: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    fortnox_total: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    detail: dict = Field(default_factory=dict, sa_type=JSON)
    checked_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class Review(SQLModel, table=True):
    # An accountant's "reviewed" mark on a store-day, with why.
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    store_pk: int | None = Field(default=None, foreign_key="store.id", ondelete="SET NULL")
    store_code: str = Field(max_length=40)
    business_date: date = Field(index=True)
    comment: str = Field(max_length=2000)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    # The day's differences the reviewer saw (day.fingerprint; "" when none): a later, other
    # difference is not covered. None: made before reviews kept it (see reviews.holds).
    fingerprint: str | None = Field(default=None, sa_type=Text)
