"""Companies and their stores; every change is an audit event (settings: configure.py)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.audit.service import record
from app.companies.models import Company, Store, StoreBase

ORGNR = re.compile(r"^\d{6}-?\d{4}$")


class CompanyError(ValueError):
    """A company or store cannot be saved as asked; the message says why."""


def normalise_orgnr(orgnr: str) -> str:
    """The organisation number as NNNNNN-NNNN."""
    digits = orgnr.strip().replace(" ", "")
    if not ORGNR.match(digits):
        raise CompanyError(_("An organisation number has ten digits, like 556677-8899."))
    digits = digits.replace("-", "")
    return f"{digits[:6]}-{digits[6:]}"


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits ends in its Luhn check digit."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def check_orgnr(orgnr: str) -> str:
    """A new company's organisation number as NNNNNN-NNNN, its check digit verified."""
    orgnr = normalise_orgnr(orgnr)
    if not luhn_ok(orgnr.replace("-", "")):
        raise CompanyError(
            _("Organisation number %(orgnr)s is not valid: check the last digit.", orgnr=orgnr)
        )
    return orgnr


def find_company(session: Session, *, orgnr: str) -> Company | None:
    """The company with that organisation number."""
    return session.exec(select(Company).where(Company.orgnr == normalise_orgnr(orgnr))).first()


def create_company(session: Session, *, name: str, orgnr: str, actor: Any = None) -> Company:
    """A new company with default settings (not committed)."""
    orgnr = check_orgnr(orgnr)
    if not name.strip():
        raise CompanyError(_("Give the company a name."))
    duplicate = CompanyError(_("A company with that organisation number already exists."))
    if find_company(session, orgnr=orgnr) is not None:
        raise duplicate
    company = Company(name=name.strip(), orgnr=orgnr)
    session.add(company)
    try:
        session.flush()
    except IntegrityError as error:  # the same number saved by someone else since the check
        session.rollback()
        raise duplicate from error
    record(
        session,
        action="company.created",
        company_id=company.id,
        user=actor,
        actor=None if actor else "cli",
        target=orgnr,
        detail={"name": company.name},
    )
    return company


def stores_of(session: Session, *, company: Company) -> list[Store]:
    """Every store of the company, by POS store id."""
    query = select(Store).where(Store.company_id == company.id).order_by(Store.store_id)
    return list(session.exec(query).all())


def find_store(session: Session, *, company: Company, store_id: str) -> Store | None:
    """The store with that POS store id."""
    query = select(Store).where(Store.company_id == company.id, Store.store_id == store_id)
    return session.exec(query).first()


def _check_store(session: Session, company: Company, data: StoreBase, pk: int | None) -> None:
    """Refuse blank fields and a POS store id the company already uses."""
    if not data.store_id.strip() or not data.name.strip() or not data.cost_center.strip():
        raise CompanyError(_("Fill in the store id, name and cost center."))
    other = find_store(session, company=company, store_id=data.store_id.strip())
    if other is not None and other.id != pk:
        raise CompanyError(_("Another store already has that store id."))


def create_store(session: Session, *, company: Company, data: StoreBase, user: Any) -> Store:
    """A new store (not committed)."""
    _check_store(session, company, data, None)
    store = Store(
        company_id=company.id,
        store_id=data.store_id.strip(),
        name=data.name.strip(),
        cost_center=data.cost_center.strip(),
    )
    session.add(store)
    session.flush()
    record(
        session,
        action="store.created",
        company_id=company.id,
        user=user,
        actor=None if user else "cli",
        target=store.store_id,
        detail={"name": store.name, "cost_center": store.cost_center},
    )
    return store


def update_store(session: Session, *, store: Store, data: StoreBase, user: Any) -> Store:
    """Change a store's id, name or cost center, recording before and after."""
    company = session.get(Company, store.company_id)
    assert company is not None
    _check_store(session, company, data, store.id)
    diff = {}
    for field in ("store_id", "name", "cost_center"):
        before, after = getattr(store, field), getattr(data, field).strip()
        if before != after:
            diff[field] = {"before": before, "after": after}
            setattr(store, field, after)
    if diff:
        session.add(store)
        record(
            session,
            action="store.changed",
            company_id=company.id,
            user=user,
            target=store.store_id,
            detail=diff,
        )
    return store
