"""Who belongs to a company, in which role, and which stores a store manager holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import delete, func
from sqlmodel import Session, select

from app.audit.service import record
from app.auth.models import Membership, MembershipStore, Role, User
from app.auth.service import create_user, end_sessions, find_user
from app.companies.models import Company, Store


class MemberError(ValueError):
    """A membership cannot be changed as asked; the message says why."""


@dataclass(frozen=True)
class Member:
    """A row of the users page."""

    membership: Membership
    user: User
    stores: list[Store]


def members_of(session: Session, *, company: Company) -> list[Member]:
    """Every member of the company with their stores, by email."""
    rows = session.exec(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)  # type: ignore[arg-type]
        .where(Membership.company_id == company.id)
        .order_by(User.email)
    ).all()
    return [Member(m, u, stores_held(session, membership=m)) for m, u in rows]


def stores_held(session: Session, *, membership: Membership) -> list[Store]:
    """The stores a membership holds (only store managers hold any)."""
    query = (
        select(Store)
        .join(MembershipStore, MembershipStore.store_id == Store.id)  # type: ignore[arg-type]
        .where(MembershipStore.membership_id == membership.id)
        .order_by(Store.store_id)
    )
    return list(session.exec(query).all())


def get_membership(session: Session, *, company: Company, membership_id: int) -> Membership:
    """One membership of the company (404 for another company's)."""
    membership = session.get(Membership, membership_id)
    if membership is None or membership.company_id != company.id:
        abort(404)
    return membership


def _set_stores(session: Session, company: Company, membership: Membership, ids: list[int]) -> None:
    """Replace the stores a membership holds with ids (all of them the company's)."""
    valid = {s.id for s in session.exec(select(Store).where(Store.company_id == company.id))}
    wanted = set(ids) & valid if membership.role == Role.STORE_MANAGER else set()
    session.exec(delete(MembershipStore).where(MembershipStore.membership_id == membership.id))  # type: ignore[call-overload]
    for store_pk in sorted(wanted):
        session.add(MembershipStore(membership_id=membership.id, store_id=store_pk))
    session.flush()


def _admins(session: Session, company: Company) -> int:
    """How many admins the company has."""
    query = select(func.count()).where(
        Membership.company_id == company.id, Membership.role == Role.ADMIN
    )
    return session.exec(query).one()


def add_member(
    session: Session,
    *,
    company: Company,
    email: str,
    role: str,
    store_ids: list[int] | None = None,
    password: str = "",
    name: str = "",
    actor: Any = None,
) -> Membership:
    """Give a person a role; a new person is created with password (not committed)."""
    role = Role(role)
    user = find_user(session, email=email)
    created = user is None
    if user is None:
        user = create_user(session, email=email, password=password, name=name)
    query = select(Membership).where(
        Membership.user_id == user.id, Membership.company_id == company.id
    )
    if session.exec(query).first():
        raise MemberError(_("%(email)s is already a member.", email=user.email))
    membership = Membership(user_id=user.id, company_id=company.id, role=role)  # type: ignore[arg-type]
    session.add(membership)
    session.flush()
    _set_stores(session, company, membership, store_ids or [])
    record(
        session,
        action="member.added",
        company_id=company.id,
        user=actor,
        actor=None if actor else "cli",
        target=user.email,
        detail={"role": role, "stores": _codes(session, membership), "new_user": created},
    )
    return membership


def change_member(
    session: Session,
    *,
    company: Company,
    membership: Membership,
    role: str,
    store_ids: list[int],
    actor: Any,
) -> Membership:
    """Change a member's role and stores, keeping at least one admin."""
    role = Role(role)
    if membership.role == Role.ADMIN and role != Role.ADMIN and _admins(session, company) <= 1:
        raise MemberError(_("A company needs at least one admin."))
    before = {"role": membership.role, "stores": _codes(session, membership)}
    membership.role = role
    session.add(membership)
    _set_stores(session, company, membership, store_ids)
    after = {"role": str(role), "stores": _codes(session, membership)}
    if before["role"] != after["role"]:
        end_sessions(session, user_id=membership.user_id)  # a new role starts on a new session
    if before != after:
        user = session.get(User, membership.user_id)
        record(
            session,
            action="member.changed",
            company_id=company.id,
            user=actor,
            target=user.email if user else str(membership.user_id),
            detail={"before": before, "after": after},
        )
    return membership


def remove_member(
    session: Session, *, company: Company, membership: Membership, actor: Any
) -> None:
    """Take a person out of the company, keeping at least one admin."""
    if membership.role == Role.ADMIN and _admins(session, company) <= 1:
        raise MemberError(_("A company needs at least one admin."))
    user = session.get(User, membership.user_id)
    detail = {"role": membership.role, "stores": _codes(session, membership)}
    session.delete(membership)
    session.flush()
    record(
        session,
        action="member.removed",
        company_id=company.id,
        user=actor,
        target=user.email if user else str(membership.user_id),
        detail=detail,
    )


def _codes(session: Session, membership: Membership) -> list[str]:
    """The POS ids of the stores a membership holds, for the audit trail."""
    return [s.store_id for s in stores_held(session, membership=membership)]
