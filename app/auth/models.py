"""People, and what they hold in which company."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import AwareDateTime, utcnow


class Role(StrEnum):
    """What a member may do in a company (SPEC: Users and what each does)."""

    ADMIN = "admin"
    ACCOUNTANT = "accountant"
    STORE_MANAGER = "store_manager"
    AUDITOR = "auditor"


class UserBase(SQLModel):
    # A person who signs in.
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(default="", max_length=200)
    locale: str = Field(default="sv", max_length=5)
    is_active: bool = True


class User(UserBase, table=True):
    # The stored person, with a scrypt password hash. Not a flask-login UserMixin: its
    # is_active property would shadow the column (pydantic keeps no class attribute for it).
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    # Raised by sign-out, a password change or a role change: older sessions no longer load.
    session_generation: int = Field(default=0)
    # The TOTP secret, Fernet-encrypted like Fortnox tokens; enabled once confirmed with a code.
    totp_secret: str = Field(default="", max_length=400)
    totp_enabled: bool = False
    # The last 30-second step whose code was accepted, so no code signs in twice.
    totp_last_step: int = Field(default=0)

    @property
    def is_authenticated(self) -> bool:
        """A stored user is a signed-in user (flask-login)."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Never anonymous (flask-login)."""
        return False

    def get_id(self) -> str:
        """The id flask-login keeps in the session."""
        return str(self.id)


class Membership(SQLModel, table=True):
    # A user's role in one company.
    __table_args__ = (UniqueConstraint("user_id", "company_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class MembershipStore(SQLModel, table=True):
    # A store a store manager is assigned to.
    membership_id: int = Field(foreign_key="membership.id", primary_key=True, ondelete="CASCADE")
    store_id: int = Field(foreign_key="store.id", primary_key=True, ondelete="CASCADE")


class PasswordReset(SQLModel, table=True):
    # A password-reset link sent by e-mail: only the token's SHA-256 is kept; used once.
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(index=True, unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime)
    used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
