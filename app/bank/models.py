"""Bank statements and acquirer settlements as received: the raw file kept, and what it says."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import JSON, Field, Index, SQLModel, UniqueConstraint

from app.db import AwareDateTime, Money, utcnow


class ImportStatus(StrEnum):
    """What became of a received file (it is kept whatever the answer)."""

    IMPORTED = "imported"  # read and stored: 201, then 200 for the same bytes again
    INVALID = "invalid"  # could not be read: 422, kept with its errors
    CONFLICT = "conflict"  # a statement imported differently, or lines for a closed payout: 409


class ReceivedFile(SQLModel):
    # What every received file keeps: its bytes, their SHA-256, who sent it, when, and the outcome.
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    sha256: str = Field(max_length=64)
    raw: bytes = Field(sa_type=sa.LargeBinary)
    size: int = 0
    filename: str = Field(default="", max_length=200)
    source: str = Field(default="api", max_length=20)
    received_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
    uploaded_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    actor: str = Field(default="", max_length=200)
    status: str = Field(default=ImportStatus.IMPORTED, max_length=12)
    errors: list = Field(default_factory=list, sa_type=JSON)


class BankStatementFile(ReceivedFile, table=True):
    # One camt.053 file as received (any number of statements), kept byte for byte.
    __table_args__ = (UniqueConstraint("company_id", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(default="", max_length=20)  # e.g. camt.053.001.08
    message_id: str | None = Field(default=None, max_length=100)
    created_at_bank: datetime | None = Field(default=None, sa_type=AwareDateTime)
    statement_count: int = 0
    entry_count: int = 0


class BankStatement(SQLModel, table=True):
    # One <Stmt> of a file: an account's statement; its id is unique per account and company.
    __table_args__ = (UniqueConstraint("company_id", "account", "statement_id"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    file_id: int = Field(foreign_key="bankstatementfile.id", index=True, ondelete="CASCADE")
    statement_id: str = Field(max_length=100)
    account: str = Field(max_length=70)  # the IBAN, or the bank's own account id
    currency: str = Field(default="", max_length=3)
    from_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    to_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    opening_balance: Decimal | None = Field(default=None, sa_type=Money)
    closing_balance: Decimal | None = Field(default=None, sa_type=Money)


class BankEntry(SQLModel, table=True):
    # One booked movement on the account: an <Ntry>, or one <TxDtls> of a batched entry.
    __table_args__ = (
        Index("ix_bankentry_company_id_booking_date", "company_id", "booking_date"),
        Index("ix_bankentry_company_id_account_servicer_ref", "company_id", "account_servicer_ref"),
    )
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    statement_pk: int = Field(foreign_key="bankstatement.id", index=True, ondelete="CASCADE")
    entry_no: int  # the <Ntry>'s place in its statement, from 1
    tx_no: int = 0  # 0: the whole entry; 1..tx_count: one transaction of a batched entry
    tx_count: int = 1
    account: str = Field(max_length=70)
    amount: Decimal = Field(sa_type=Money)  # as the file says it: never negative
    credit_debit: str = Field(max_length=4)  # CRDT (money in) or DBIT (money out)
    signed_amount: Decimal = Field(sa_type=Money)  # + for CRDT, - for DBIT
    currency: str = Field(default="", max_length=3)
    reversal: bool = False
    status: str = Field(default="", max_length=10)  # BOOK, PDNG, INFO
    booking_date: date | None = None
    value_date: date | None = None
    entry_reference: str | None = Field(default=None, max_length=100)  # NtryRef
    account_servicer_ref: str | None = Field(default=None, max_length=100)  # AcctSvcrRef
    end_to_end_id: str | None = Field(default=None, max_length=100)
    remittance: str = Field(default="", max_length=2000)  # Ustrd, or Strd's texts
    creditor_reference: str | None = Field(default=None, max_length=100)  # Strd/CdtrRefInf/Ref
    bank_transaction_code: str = Field(default="", max_length=100)  # PMNT/RCDT/ESCT; Prtry
    counterparty: str = Field(default="", max_length=200)
    additional_info: str = Field(default="", max_length=500)  # AddtlNtryInf


class SettlementFile(ReceivedFile, table=True):
    # One acquirer settlement report as received, read with the profile it was sent with.
    __table_args__ = (UniqueConstraint("company_id", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    profile: str = Field(max_length=60)
    line_count: int = 0  # the lines this file brought (new to the company)
    held_count: int = 0  # its lines an earlier file brought already: not counted twice


class SettlementLine(SQLModel, table=True):
    # One row of a settlement report, in Kassabok's terms: fee is what the acquirer kept.
    __table_args__ = (
        Index("ix_settlementline_company_id_payout_reference", "company_id", "payout_reference"),
        Index("ix_settlementline_company_id_transaction_date", "company_id", "transaction_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    file_id: int = Field(foreign_key="settlementfile.id", index=True, ondelete="CASCADE")
    line_no: int  # the row in the file, from 1 (the header row counts)
    kind: str = Field(max_length=10)  # sale, refund, fee, payout, other
    raw_type: str = Field(default="", max_length=80)  # the report's own type, as written
    transaction_date: date | None = None
    store: str = Field(default="", max_length=80)  # store or terminal id, as the acquirer sends it
    payment_method: str = Field(default="", max_length=80)
    gross: Decimal = Field(sa_type=Money)  # what the customer paid (negative for a refund)
    fee: Decimal | None = Field(default=None, sa_type=Money)  # None: the report does not say
    net: Decimal | None = Field(default=None, sa_type=Money)  # gross - fee when both are known
    currency: str = Field(default="SEK", max_length=3)
    payout_reference: str = Field(default="", max_length=100)
    payout_date: date | None = None
    reference: str = Field(default="", max_length=100)  # the acquirer's transaction reference
    identity: str = Field(default="", max_length=64)  # the row as written, hashed: its one place


class SettlementProfile(SQLModel, table=True):
    # A settlement CSV format an admin described for the company (see app/bank/profiles.py).
    __table_args__ = (UniqueConstraint("company_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=60)
    definition: dict = Field(default_factory=dict, sa_type=JSON)
    saved_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    saved_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
