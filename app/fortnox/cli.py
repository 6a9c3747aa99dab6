"""`flask fortnox status|authorize-url|preflight|rotate-keys`: the connection by command."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from app.companies.models import Company
from app.companies.service import find_company
from app.db import get_session
from app.fortnox import connect, preflight, tokens

cli = AppGroup("fortnox", help="The Fortnox connection.")


def _company(orgnr: str) -> Company:
    """The company with that organisation number, or a usage error."""
    company = find_company(get_session(), orgnr=orgnr)
    if company is None:
        raise click.UsageError(f"No company has organisation number {orgnr}.")
    return company


def status_of(company: Company) -> dict:
    """The connection and its last pre-flight results as plain data."""
    session = get_session()
    conn = tokens.connection(session, company.id or 0)
    checks = preflight.stored(session, company.id or 0)
    return {
        "company": {"id": company.id, "name": company.name, "orgnr": company.orgnr},
        "connected": bool(conn and conn.status == tokens.CONNECTED),
        "status": conn.status if conn else tokens.DISCONNECTED,
        "lost_reason": conn.lost_reason if conn else "",
        "fortnox_company": {
            "database_number": conn.database_number,
            "name": conn.fortnox_name,
            "orgnr": conn.fortnox_orgnr,
        }
        if conn
        else None,
        "scope": conn.scope if conn else "",
        "token_expires_at": conn.expires_at.isoformat() if conn and conn.expires_at else None,
        "preflight_at": conn.preflight_at.isoformat() if conn and conn.preflight_at else None,
        "preflight_ok": bool(checks) and all(c.ok for c in checks),
        "preflight": [
            {"key": c.key, "ok": c.ok, "title": c.title, "detail": c.detail, "fix": c.fix}
            for c in checks
        ],
    }


@cli.command("status")
@click.option("--company", "orgnr", required=True, help="Organisation number.")
def status(orgnr: str) -> None:
    """Print the connection and the pre-flight results as JSON."""
    click.echo(json.dumps(status_of(_company(orgnr)), indent=2, ensure_ascii=False))


@cli.command("authorize-url")
@click.option("--company", "orgnr", required=True, help="Organisation number.")
def authorize_url(orgnr: str) -> None:
    """Print a single-use, 24-hour link for the customer's Fortnox administrator."""
    session = get_session()
    url = connect.create_link(session, _company(orgnr), None)
    session.commit()
    click.echo(url)


@cli.command("preflight")
@click.option("--company", "orgnr", required=True, help="Organisation number.")
def run_preflight(orgnr: str) -> None:
    """Run the pre-flight checks now, store them, and print the status JSON."""
    company = _company(orgnr)
    preflight.run_and_store(company.id or 0)
    get_session().expire_all()
    click.echo(json.dumps(status_of(company), indent=2, ensure_ascii=False))


@cli.command("rotate-keys")
def rotate_keys() -> None:
    """Re-encrypt every stored Fortnox token with the newest (first) of KASSABOK_FERNET_KEYS."""
    done, failed = tokens.rotate_keys()
    click.echo(f"Re-encrypted the Fortnox tokens of {done} connection(s) with the newest key.")
    if failed:
        listed = ", ".join(str(company_id) for company_id in failed)
        click.echo(f"Not re-encrypted (company ids): {listed}; see the log.", err=True)
        raise SystemExit(1)
