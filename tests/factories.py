"""Plain typed functions that make test data."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session
from werkzeug.security import generate_password_hash

from app.auth.models import Membership, MembershipStore, User
from app.closures.models import Closure
from app.companies.models import Company, Store

PASSWORD = "correct-horse-battery"
# The app's scrypt at a lower cost: checking 32768 rounds at every test login cost minutes a run,
# and the cost parameters travel in the hash, so the app checks it as it checks any other.
_HASH = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")


def make_company(
    session: Session, name: str = "Café Centrum AB", orgnr: str = "556677-8899", **settings: Any
) -> Company:
    """A company with the given settings."""
    company = Company(name=name, orgnr=orgnr, **settings)
    session.add(company)
    session.commit()
    return company


def make_store(
    session: Session,
    company: Company,
    store_id: str = "S12",
    name: str = "Café Centrum",
    cost_center: str | None = None,
) -> Store:
    """A store of company, its cost center defaulting to its POS id."""
    store = Store(
        company_id=company.id, store_id=store_id, name=name, cost_center=cost_center or store_id
    )
    session.add(store)
    session.commit()
    return store


def make_user(
    session: Session,
    email: str,
    company: Company | None = None,
    role: str = "admin",
    stores: list[Store] | None = None,
    locale: str = "en",
) -> User:
    """A user with PASSWORD, optionally a member of company with role (and stores)."""
    user = User(email=email, name=email.split("@")[0].title(), password_hash=_HASH, locale=locale)
    session.add(user)
    session.commit()
    if company is not None:
        add_member(session, user, company, role, stores)
    return user


def add_member(
    session: Session, user: User, company: Company, role: str, stores: list[Store] | None = None
) -> Membership:
    """Give user a role in company (and, for a store manager, stores)."""
    membership = Membership(user_id=user.id, company_id=company.id, role=role)
    session.add(membership)
    session.commit()
    for store in stores or []:
        session.add(MembershipStore(membership_id=membership.id, store_id=store.id))
    session.commit()
    return membership


def make_closure(
    session: Session, company: Company, store: Store, day: date, state: str, **fields: Any
) -> Closure:
    """The latest revision of store's closure on day, in state (no payload: for counts, lists)."""
    closure = Closure(
        company_id=company.id,
        store_pk=store.id,
        closure_id=f"{store.store_id}:{day}:{state}",
        store_code=store.store_id,
        register_id="R1",
        z_number=day.toordinal() % 1000,
        business_date=day,
        payload={},
        payload_hash=f"{store.store_id}{day}{state}",
        state=state,
        **fields,
    )
    session.add(closure)
    session.commit()
    return closure
