"""`flask closures import`: closures from a file or stdin, through the same gate as the API."""

from __future__ import annotations

from typing import IO

import click
from flask.cli import AppGroup
from sqlmodel import select

from app.closures.batch import ingest_file, summary
from app.companies.models import Company
from app.db import get_session

cli = AppGroup("closures", help="Closures from the POS.")


@cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--company", "orgnr", help="Organisation number (needed with several companies).")
def import_file(file: IO[bytes], orgnr: str | None) -> None:
    """Import closures from FILE (JSON, a JSON array, or NDJSON; - for stdin)."""
    session = get_session()
    query = select(Company) if orgnr is None else select(Company).where(Company.orgnr == orgnr)
    companies = session.exec(query.limit(2)).all()
    if len(companies) != 1:
        problem = "no company has that organisation number" if orgnr else "name one with --company"
        raise click.UsageError(f"Which company? {problem}.")
    name = getattr(file, "name", "-")
    outcomes = ingest_file(
        session,
        company=companies[0],
        data=file.read(),
        filename="stdin" if name in ("-", "<stdin>") else str(name),
        source="cli",
        actor="cli",
    )
    for outcome in outcomes:
        result = outcome.result
        revision = f" r{result.closure.revision}" if result.closure else ""
        click.echo(f"line {outcome.line}: {result.outcome} {outcome.closure_id or '-'}{revision}")
        for error in result.errors:
            click.echo(f"    {error['pointer'] or '/'}: {error['message']}")
    counts = ", ".join(f"{n} {what}" for what, n in sorted(summary(outcomes).items()))
    refused = sum(outcome.refused for outcome in outcomes)
    click.echo(f"{len(outcomes)} item(s): {counts or 'none'}; {refused} refused and kept.")
    if refused:
        raise SystemExit(1)
