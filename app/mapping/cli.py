"""`flask mapping import|export`: a company's mapping as a `kassabok.mapping/1` file."""

from __future__ import annotations

import json

import click

from app.companies.configure import company_by_orgnr
from app.db import get_session
from app.mapping import service
from app.mapping.blueprint import bp

# The blueprint's own group is `flask mapping`, registered with the blueprint.
bp.cli.help = "Import and export account mappings (kassabok.mapping/1)."


@bp.cli.command("export")
@click.option("--company", "orgnr", required=True, help="Organisation number of the company.")
@click.option("--version", type=int, default=None, help="A version number (default: newest).")
def export_command(orgnr: str, version: int | None) -> None:
    """Print the company's mapping, stores included, as JSON on stdout."""
    session = get_session()
    company = company_by_orgnr(session, orgnr)
    if version is not None and service.get_version(session, company.id or 0, version) is None:
        raise click.ClickException(f"{company.name} has no mapping version {version}.")
    data = service.export_mapping(session, company.id or 0, version)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@bp.cli.command("import")
@click.option("--company", "orgnr", required=True, help="Organisation number of the company.")
@click.option("--comment", default="", help="Why (kept with the version).")
@click.argument("file", type=click.File("rb"))
def import_command(orgnr: str, comment: str, file: click.utils.LazyFile) -> None:
    """Import FILE as the company's next mapping version: all of it, or nothing."""
    session = get_session()
    company = company_by_orgnr(session, orgnr)
    try:
        data = json.loads(file.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{file.name}: not a JSON file ({exc}).") from exc
    try:
        result = service.apply_import(
            session, company=company, data=data, user=None, comment=comment, actor="cli"
        )
    except service.MappingInvalid as exc:
        session.rollback()
        lines = [f"  {p.path or '/'}: {p.message}" for p in exc.problems]
        count = len(exc.problems)
        head = f"{file.name}: {count} problem{'s' if count > 1 else ''}; nothing was imported."
        raise click.ClickException("\n".join([head, *lines])) from exc
    session.commit()
    click.echo(f"Imported as mapping version {result.version.version} for {company.name}.")
    for change in result.stores:
        if change.created:
            click.echo(
                f"Store {change.store_id} created: {change.after['name']}, "
                f"cost center {change.after['cost_center']}."
            )
        else:
            click.echo(f"Store {change.store_id} updated: {change.before} -> {change.after}.")
