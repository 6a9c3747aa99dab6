"""`flask reconcile --company ORGNR [--from D --to D]`: reconcile now and print a summary."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext
from sqlmodel import select

from app.companies.models import Company
from app.db import get_session


@click.command("reconcile")
@click.option("--company", "orgnr", required=True, help="The company's organisation number.")
@click.option("--from", "from_date", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "to_date", type=click.DateTime(["%Y-%m-%d"]), help="Last day.")
@with_appcontext
def cli(orgnr: str, from_date: datetime | None, to_date: datetime | None) -> None:
    """Read Fortnox back for the days, compare every closure and store-day, print the summary."""
    from app.reconcile.service import reconcile

    session = get_session()
    company = session.exec(select(Company).where(Company.orgnr == orgnr)).first()
    if company is None:
        raise click.ClickException(f"no company with organisation number {orgnr}")
    summary = reconcile(
        session,
        company.id or 0,
        from_date.date() if from_date else None,
        to_date.date() if to_date else None,
    )
    click.echo(f"{company.name} ({company.orgnr}) {summary.from_date} .. {summary.to_date}")
    for label, counts in (("closures", summary.closures), ("store-days", summary.days)):
        line = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
        click.echo(f"  {label}: {line}")
    click.echo(f"  Fortnox requests: {summary.requests}")
    if summary.scanned:
        click.echo(
            f"  vouchers not made by Kassabok on the stores' cost centers: {len(summary.scanned)}"
        )
    if summary.error:
        click.echo(f"  Fortnox not read: {summary.error}", err=True)
