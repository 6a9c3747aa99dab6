"""Companies, their stores and settings, and the POS's API tokens."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import AwareDateTime, Money, utcnow


class CompanySettings(SQLModel):
    # The switches of SPEC "Settings per company".
    sync_sales: bool = True
    approve_first: bool = False
    invoice: bool = False
    tip_on_invoice: bool = False
    use_order: bool = False
    auto_correct: bool = False
    voucher_series: str = Field(default="A", max_length=10)
    start_date: date | None = None
    cash_threshold: Decimal = Field(default=Decimal("100.00"), sa_type=Money)
    language: str = Field(default="sv", max_length=5)


class CompanyBase(CompanySettings):
    # A company whose books live in one Fortnox account.
    name: str = Field(max_length=200)
    orgnr: str = Field(index=True, unique=True, max_length=20)


class Company(CompanyBase, table=True):
    # The stored company.
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    # Set by an admin: members without two-factor sign-in must set it up before going on.
    require_totp: bool = False


class CompanyUpdate(SQLModel):
    # Settings that may change, all optional.
    sync_sales: bool | None = None
    approve_first: bool | None = None
    invoice: bool | None = None
    tip_on_invoice: bool | None = None
    use_order: bool | None = None
    auto_correct: bool | None = None
    voucher_series: str | None = None
    start_date: date | None = None
    cash_threshold: Decimal | None = None
    language: str | None = None


class StoreBase(SQLModel):
    # A shop as the POS names it, and its Fortnox cost center.
    store_id: str = Field(max_length=40)
    name: str = Field(max_length=200)
    cost_center: str = Field(max_length=20)


class Store(StoreBase, table=True):
    # The stored store.
    __table_args__ = (UniqueConstraint("company_id", "store_id"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class ApiToken(SQLModel, table=True):
    # A POS credential: only its SHA-256 is kept; the token is shown once.
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    name: str = Field(default="POS", max_length=100)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
