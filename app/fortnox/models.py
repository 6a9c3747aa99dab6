"""A company's Fortnox connection and its one-time authorization links."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import JSON, Field, SQLModel

from app.db import AwareDateTime, utcnow


class FortnoxConnection(SQLModel, table=True):
    # The token pair (Fernet-encrypted) and which Fortnox company it opens.
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", unique=True, ondelete="CASCADE")
    status: str = Field(default="disconnected", max_length=20)
    access_token_enc: str = ""
    refresh_token_enc: str = ""
    expires_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    scope: str = Field(default="", max_length=500)
    database_number: str = Field(default="", max_length=40)
    fortnox_name: str = Field(default="", max_length=200)
    fortnox_orgnr: str = Field(default="", max_length=20)
    connected_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    lost_reason: str = Field(default="", max_length=1000)
    preflight: list = Field(default_factory=list, sa_type=JSON)
    preflight_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    # Which Fortnox company with another organisation number an admin said is the right one.
    orgnr_confirmed: str = Field(default="", max_length=120)
    orgnr_confirmed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    orgnr_confirmed_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # Fortnox's web app id of the company, as "<database_number>:<id>" (app/fortnox/weblinks.py).
    web_workspace: str = Field(default="", max_length=80)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class AuthLink(SQLModel, table=True):
    # A single-use link that lets a Fortnox administrator authorize without a Kassabok login.
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(unique=True, max_length=64)
    expires_at: datetime = Field(sa_type=AwareDateTime)
    used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
