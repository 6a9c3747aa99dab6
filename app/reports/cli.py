"""`flask reports build`: an audit report from the command line, stored like an ordered one."""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlmodel import col, select

from app.companies.models import Company, Store
from app.db import get_session
from app.reports import files, retention, service

cli = AppGroup("reports", help="PDF audit reports.")


@cli.command("build")
@click.option("--company", "orgnr", required=True, help="Organisation number, e.g. 556677-8899.")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--lang", default=None, type=click.Choice(["sv", "en"]), help="Default: company's.")
@click.option(
    "--store", "stores", multiple=True, help="A POS store id; repeat for more (default: all)."
)
def build(orgnr: str, start, end, out: str, lang: str | None, stores: tuple[str, ...]) -> None:
    """Build the report now, store it under REPORTS_DIR and copy it to OUT."""
    session = get_session()
    company = session.exec(select(Company).where(Company.orgnr == orgnr)).first()
    if company is None:
        raise click.UsageError(f"No company has organisation number {orgnr}.")
    order = service.Order(
        company.id or 0,
        _day(start),
        _day(end),
        _store_ids(company, stores),
        lang or company.language,
    )
    if order.end < order.start:
        raise click.UsageError("--to is before --from.")
    if order.end > service.longest_end(order.start):
        last = service.longest_end(order.start).isoformat()
        raise click.UsageError(f"A report covers a year at the most: --to {last} or earlier.")
    began = time.perf_counter()
    try:
        report = service.build_now(session, order=order, actor="cli")
    except service.DuplicateOrder as exc:
        raise click.ClickException("The same report is being built right now; try later.") from exc
    path = files.reports_dir() / report.filename
    shutil.copyfile(path, Path(out))
    click.echo(
        f"{out}: {report.size / 1e6:.2f} MB in {time.perf_counter() - began:.1f} s, "
        f"SHA-256 of the data {report.fingerprint}"
    )


@cli.command("prune")
@click.option("--days", type=click.IntRange(min=1), default=None, help="Default: the setting.")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
def prune(days: int | None, dry_run: bool) -> None:
    """Delete report PDFs older than the retention period; rows and fingerprints stay."""
    days = days or retention.retention_days()
    session = get_session()
    reports = (retention.due if dry_run else retention.prune)(session, days=days)
    for report in reports:
        click.echo(f"report {report.id} (company {report.company_id}): {report.fingerprint}")
    verb = "would be deleted" if dry_run else "deleted"
    click.echo(f"{len(reports)} report PDF(s) older than {days} days {verb}.")


def _day(value: date) -> date:
    """A click DateTime as a date."""
    return value.date() if hasattr(value, "date") else value


def _store_ids(company: Company, codes: tuple[str, ...]) -> tuple[int, ...]:
    """The primary keys of the company's stores with these POS ids (all must exist)."""
    if not codes:
        return ()
    rows = (
        get_session()
        .exec(select(Store).where(Store.company_id == company.id, col(Store.store_id).in_(codes)))
        .all()
    )
    missing = sorted(set(codes) - {s.store_id for s in rows})
    if missing:
        raise click.UsageError(f"Unknown store(s): {', '.join(missing)}.")
    return tuple(sorted(s.id or 0 for s in rows))
