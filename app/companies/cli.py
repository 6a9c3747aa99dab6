"""`flask companies|stores|tokens create`: set up a company from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.companies import service, tokens
from app.companies.configure import configure
from app.companies.models import Company, StoreBase
from app.db import get_session

companies_cli = AppGroup("companies", help="Companies.")
stores_cli = AppGroup("stores", help="A company's stores.")
tokens_cli = AppGroup("tokens", help="API tokens for the POS.")
companies_cli.add_command(configure)


def _company(orgnr: str) -> Company:
    """The company with that organisation number, or a usage error."""
    try:
        company = service.find_company(get_session(), orgnr=orgnr)
    except service.CompanyError as error:
        raise click.UsageError(str(error)) from error
    if company is None:
        raise click.UsageError(f"No company has organisation number {orgnr}.")
    return company


@companies_cli.command("create")
@click.option("--name", required=True)
@click.option("--orgnr", required=True, help="Organisation number, e.g. 556677-8899.")
def create_company(name: str, orgnr: str) -> None:
    """Create a company with default settings (the organisation number's check digit verified)."""
    session = get_session()
    try:
        orgnr = service.check_orgnr(orgnr)
        company = service.create_company(session, name=name, orgnr=orgnr)
    except service.CompanyError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(f"Created {company.name} ({company.orgnr}), id {company.id}.")


@stores_cli.command("create")
@click.option("--company", "orgnr", required=True, help="Organisation number.")
@click.option("--store-id", required=True, help="The POS's store id.")
@click.option("--name", required=True)
@click.option("--cost-center", required=True, help="Fortnox cost center code.")
def create_store(orgnr: str, store_id: str, name: str, cost_center: str) -> None:
    """Add a store to a company."""
    session = get_session()
    company = _company(orgnr)
    data = StoreBase(store_id=store_id, name=name, cost_center=cost_center)
    try:
        store = service.create_store(session, company=company, data=data, user=None)
    except service.CompanyError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(f"Created store {store.store_id} ({store.name}) in {company.name}.")


@tokens_cli.command("create")
@click.option("--company", "orgnr", required=True, help="Organisation number.")
@click.option("--name", default="POS", help="A label for the token.")
def create_token(orgnr: str, name: str) -> None:
    """Create an API token and print it (this once; only its hash is kept)."""
    session = get_session()
    company = _company(orgnr)
    _token, plain = tokens.create_token(session, company=company, name=name, user=None)
    session.commit()
    click.echo(plain)
