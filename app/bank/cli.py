"""`flask bank import` and `flask settlements import`: files through the same gate as the API."""

from __future__ import annotations

from typing import IO, Any

import click
from flask.cli import AppGroup

from app.bank.blueprint import bp
from app.bank.receive import ImportResult
from app.bank.settlements import import_settlement, profiles_for, settlement_answer
from app.bank.statements import import_statement, statement_answer
from app.companies.configure import company_by_orgnr
from app.db import get_session

bank_cli = AppGroup("bank", help="Bank statements (ISO 20022 camt.053).")
settlements_cli = AppGroup("settlements", help="Acquirer settlement reports (CSV).")
bp.cli.add_command(bank_cli)
bp.cli.add_command(settlements_cli)


def _name(file: IO[bytes]) -> str:
    """The file's name as given, stdin for -."""
    name = str(getattr(file, "name", "-"))
    return "stdin" if name in ("-", "<stdin>") else name


def _report(result: ImportResult[Any], body: dict[str, Any], counts: str) -> None:
    """Print what became of the file; exit 1 when it was refused (it is kept all the same)."""
    click.echo(f"{body['status']}: import {body['id']} ({counts}) {body['sha256'][:12]}")
    click.echo(f"  {body['message']}")
    for error in body["errors"]:
        where = error.get("where") or "/"
        line = f" line {error['line']}" if error.get("line") else ""
        click.echo(f"  {where}{line}: {error['message']}")
    if result.status_code >= 400:
        raise SystemExit(1)


@bank_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--company", "orgnr", required=True, help="Organisation number of the company.")
def import_statement_command(file: IO[bytes], orgnr: str) -> None:
    """Import a camt.053 bank statement FILE (- for stdin)."""
    session = get_session()
    company = company_by_orgnr(session, orgnr)
    result = import_statement(
        session, company=company, raw=file.read(), filename=_name(file), source="cli", actor="cli"
    )
    session.commit()
    body = statement_answer(result)
    _report(result, body, f"{body['statements']} statement(s), {body['entries']} entries")


@settlements_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--company", "orgnr", required=True, help="Organisation number of the company.")
@click.option("--profile", required=True, help="The acquirer's profile, e.g. adyen.")
def import_settlement_command(file: IO[bytes], orgnr: str, profile: str) -> None:
    """Import an acquirer's settlement CSV FILE (- for stdin) read with --profile."""
    session = get_session()
    company = company_by_orgnr(session, orgnr)
    known = profiles_for(session, company)
    if profile not in known:
        names = ", ".join(sorted(known))
        raise click.UsageError(f"No settlement profile {profile!r}; {company.name} has: {names}.")
    result = import_settlement(
        session,
        company=company,
        raw=file.read(),
        profile=profile,
        filename=_name(file),
        source="cli",
        actor="cli",
    )
    session.commit()
    body = settlement_answer(result)
    held = f", {body['held']} held already" if body["held"] else ""
    _report(result, body, f"{body['lines']} line(s){held} with {profile}")


@settlements_cli.command("profiles")
@click.option("--company", "orgnr", required=True, help="Organisation number of the company.")
def list_profiles_command(orgnr: str) -> None:
    """List the settlement profiles a company can import with."""
    session = get_session()
    for name, profile in sorted(profiles_for(session, company_by_orgnr(session, orgnr)).items()):
        click.echo(f"{name}\t{profile.label}")
