"""`flask vat tieout --company ORGNR --month YYYY-MM`: read Fortnox, tie the month's VAT out."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from sqlmodel import select

from app.companies.models import Company
from app.db import get_session
from app.evidence import tieout

cli = AppGroup("vat", help="VAT that ties out: the tills against Fortnox's VAT accounts.")


@cli.command("tieout")
@click.option("--company", "orgnr", required=True, help="The company's organisation number.")
@click.option("--month", "month_text", required=True, help="The month, YYYY-MM.")
def tieout_command(orgnr: str, month_text: str) -> None:
    """Print the month's VAT tie-out per rate as JSON (and keep it for the page)."""
    month = tieout.parse_month(month_text)
    if month is None:
        raise click.BadParameter(f"{month_text!r} is not a month; use YYYY-MM, e.g. 2026-11.")
    session = get_session()
    company = session.exec(select(Company).where(Company.orgnr == orgnr)).first()
    if company is None:
        raise click.ClickException(f"no company with organisation number {orgnr}")
    from app.fortnox.errors import FortnoxError

    try:
        kept = tieout.run(session, company, month)
    except FortnoxError as err:
        raise click.ClickException(f"Fortnox could not be read: {err}") from None
    session.commit()
    click.echo(json.dumps(kept.result, indent=2, ensure_ascii=False))
