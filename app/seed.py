"""`flask seed demo`: a demo chain with stores and a user of every role (safe to run again)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import click
from flask.cli import AppGroup
from sqlmodel import Session

from app.auth.models import Role
from app.auth.service import find_user
from app.companies import members, service, tokens
from app.companies.models import Company, StoreBase
from app.db import get_session

cli = AppGroup("seed", help="Demo data.")

DEMO_PASSWORD = "kassabok-demo"
COMPANIES = (
    ("Café Centrum AB", "556677-8899"),
    ("Bageriet Norr AB", "559012-3456"),
)
STORES = {
    "556677-8899": (("S12", "Café Centrum", "S12"), ("S14", "Café Hamnen", "S14")),
    "559012-3456": (("B01", "Bageriet Norr", "B01"),),
}
# (email, name, role, company orgnr, stores, locale): every role, and an agency accountant.
PEOPLE = (
    ("admin@demo.kassabok.se", "Anna Admin", Role.ADMIN, "556677-8899", (), "sv"),
    ("accountant@demo.kassabok.se", "Erik Ekonom", Role.ACCOUNTANT, "556677-8899", (), "sv"),
    ("accountant@demo.kassabok.se", "Erik Ekonom", Role.ACCOUNTANT, "559012-3456", (), "sv"),
    ("manager@demo.kassabok.se", "Maja Butik", Role.STORE_MANAGER, "556677-8899", ("S12",), "sv"),
    ("auditor@demo.kassabok.se", "Ada Revisor", Role.AUDITOR, "556677-8899", (), "en"),
    ("admin@demo.kassabok.se", "Anna Admin", Role.ADMIN, "559012-3456", (), "sv"),
)


def seed_companies(session: Session) -> dict[str, Company]:
    """The demo companies, with their settings."""
    out = {}
    for name, orgnr in COMPANIES:
        company = service.find_company(session, orgnr=orgnr)
        if company is None:
            company = service.create_company(session, name=name, orgnr=orgnr, actor=None)
            company.voucher_series = "K"
            company.start_date = date(2026, 1, 1)
            company.cash_threshold = Decimal("50.00")
            session.add(company)
        out[orgnr] = company
    return out


def seed_stores(session: Session, companies: dict[str, Company]) -> None:
    """The demo stores with their cost centers."""
    for orgnr, stores in STORES.items():
        company = companies[orgnr]
        for code, name, cost_center in stores:
            if service.find_store(session, company=company, store_id=code) is None:
                data = StoreBase(store_id=code, name=name, cost_center=cost_center)
                service.create_store(session, company=company, data=data, user=None)


def seed_people(session: Session, companies: dict[str, Company]) -> None:
    """A user of every role (the accountant and admin in both companies)."""
    for email, name, role, orgnr, codes, locale in PEOPLE:
        company = companies[orgnr]
        known = {m.user.email for m in members.members_of(session, company=company)}
        if email in known:
            continue
        ids = [service.find_store(session, company=company, store_id=c).id for c in codes]  # type: ignore[union-attr]
        members.add_member(
            session,
            company=company,
            email=email,
            role=role,
            store_ids=ids,  # type: ignore[arg-type]
            password=DEMO_PASSWORD,
            name=name,
        )
        user = find_user(session, email=email)
        if user is not None:
            user.locale = locale


def seed_token(session: Session, company: Company) -> str | None:
    """An API token for the POS, made only when the company has none (printed once)."""
    if tokens.tokens_of(session, company=company):
        return None
    _token, plain = tokens.create_token(session, company=company, name="Demo POS", user=None)
    return plain


def seed_closures(session: Session, companies: dict[str, Company]) -> None:
    """Demo closures and mapping: filled in by the closures and mapping areas."""


def demo(session: Session) -> str | None:
    """Create whatever of the demo is missing; return a new API token, if one was made."""
    companies = seed_companies(session)
    seed_stores(session, companies)
    seed_people(session, companies)
    plain = seed_token(session, companies["556677-8899"])
    seed_closures(session, companies)
    session.commit()
    return plain


@cli.command("demo")
def demo_command() -> None:
    """Seed the demo companies, stores and users (idempotent)."""
    plain = demo(get_session())
    click.echo(f"Demo data ready. Sign in with (password: {DEMO_PASSWORD}):")
    for email in dict.fromkeys(p[0] for p in PEOPLE):
        click.echo(f"  {email}")
    if plain:
        click.echo(f"POS API token for Café Centrum AB (shown once): {plain}")
