"""The one scoping rule: a user sees only their companies, a store manager only their stores.

Every view and query that touches company data goes through these functions:

    company = company_for(session, current_user, company_id)            # any member, else 404
    company = company_for(session, current_user, company_id, *EDITORS)  # member w/o role: 403
    visible = visible_store_ids(session, current_user, company)         # None means every store
    rows = session.exec(only_stores(select(Closure), Closure.store_pk, visible)).all()
    store = require_store(session, current_user, company, store_pk)     # 404 unless visible

A company the user does not belong to is always 404 (never 403): its existence is not revealed.
Views reachable without signing in (one-time links, OAuth callbacks) are marked with @public;
APIs under /api/ carry their own credential (a company API token).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, has_request_context
from sqlmodel import Session, select

from app.auth.models import Membership, MembershipStore, Role, User
from app.companies.models import Company, Store

ADMINS = (Role.ADMIN,)
EDITORS = (Role.ADMIN, Role.ACCOUNTANT)
READERS = (Role.ADMIN, Role.ACCOUNTANT, Role.AUDITOR)
EVERYONE = tuple(Role)

Q = TypeVar("Q")
V = TypeVar("V", bound=Callable[..., Any])


def public(view: V) -> V:
    """Mark a view as open to anonymous visitors (the guard tests then leave it out)."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def _user_id(user: Any) -> int | None:
    """The id of a signed-in user, None for anonymous ones."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "id", None)


def membership_for(session: Session, user: Any, company_id: int) -> Membership | None:
    """The user's membership in a company, or None."""
    uid = _user_id(user)
    if uid is None:
        return None
    return session.exec(
        select(Membership).where(Membership.user_id == uid, Membership.company_id == company_id)
    ).first()


def company_for(session: Session, user: Any, company_id: int, *roles: str) -> Company:
    """The company if user is a member (else 404) whose role is one of roles (else 403).

    With no roles every member passes. Also remembers the company and membership on `g`
    so the layout can show the company's navigation.
    """
    membership = membership_for(session, user, company_id)
    company = session.get(Company, company_id) if membership else None
    if membership is None or company is None:
        abort(404)
    if has_request_context():
        g.company, g.membership = company, membership
    if roles and membership.role not in roles:
        abort(403)
    return company


def role_in(session: Session, user: Any, company: Company) -> Role | None:
    """The user's role in company, or None when not a member."""
    membership = membership_for(session, user, company.id)  # type: ignore[arg-type]
    return Role(membership.role) if membership else None


def visible_store_ids(session: Session, user: Any, company: Company) -> set[int] | None:
    """Store primary keys the user may see in company: None means all, a set limits them."""
    membership = membership_for(session, user, company.id)  # type: ignore[arg-type]
    if membership is None:
        return set()
    if membership.role != Role.STORE_MANAGER:
        return None
    rows = session.exec(
        select(MembershipStore.store_id).where(MembershipStore.membership_id == membership.id)
    ).all()
    return set(rows)


def only_stores(query: Q, column: Any, visible: set[int] | None) -> Q:
    """Narrow a select to rows whose store column is visible (no-op when visible is None)."""
    if visible is None:
        return query
    return query.where(column.in_(sorted(visible)))  # type: ignore[attr-defined]


def visible_stores(session: Session, user: Any, company: Company) -> list[Store]:
    """The company's stores the user may see, by POS store id."""
    query = select(Store).where(Store.company_id == company.id).order_by(Store.store_id)
    visible = visible_store_ids(session, user, company)
    return list(session.exec(only_stores(query, Store.id, visible)).all())


def require_store(session: Session, user: Any, company: Company, store_pk: int) -> Store:
    """One store of company that the user may see, else 404."""
    store = session.get(Store, store_pk)
    if store is None or store.company_id != company.id:
        abort(404)
    visible = visible_store_ids(session, user, company)
    if visible is not None and store.id not in visible:
        abort(404)
    return store


def user_companies(session: Session, user: User) -> list[tuple[Company, Membership]]:
    """Every company the user belongs to, with the membership, by name."""
    uid = _user_id(user)
    if uid is None:
        return []
    rows = session.exec(
        select(Company, Membership)
        .join(Membership, Membership.company_id == Company.id)  # type: ignore[arg-type]
        .where(Membership.user_id == uid)
        .order_by(Company.name)
    ).all()
    return [(company, membership) for company, membership in rows]
