"""A new company from the portal: who may open one, and opening it with its creator as admin."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.auth.models import Membership, Role, User
from app.companies import members, service
from app.companies.models import Company


def may_open_company(session: Session, user: User) -> bool:
    """Whether the user is an admin of at least one company (an agency onboarding a client)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    query = select(Membership.id).where(
        Membership.user_id == user.id, Membership.role == Role.ADMIN
    )
    return session.exec(query).first() is not None


def open_company(session: Session, *, name: str, orgnr: str, creator: User) -> Company:
    """A new company with default settings and creator as its admin, audited (not committed)."""
    orgnr = service.check_orgnr(orgnr)
    # One neutral answer: it names no company and reads the same whoever asks.
    taken = service.CompanyError(
        _(
            "%(orgnr)s cannot be opened as a new company. If the company already uses "
            "Kassabok, ask the company's admin to invite you.",
            orgnr=orgnr,
        )
    )
    if service.find_company(session, orgnr=orgnr) is not None:
        raise taken
    try:
        company = service.create_company(session, name=name, orgnr=orgnr, actor=creator)
    except service.CompanyError:
        if service.find_company(session, orgnr=orgnr) is not None:  # opened meanwhile
            raise taken from None
        raise
    members.add_member(
        session, company=company, email=creator.email, role=Role.ADMIN, actor=creator
    )
    return company
