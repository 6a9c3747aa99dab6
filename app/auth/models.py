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


class LoginAttempt(SQLModel, table=True):
    # A failed sign-in, kept a short while to throttle guessing.
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, max_length=254)
    remote_addr: str = Field(default="", max_length=64)
    at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
