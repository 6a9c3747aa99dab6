"""`flask digest send`: the daily digest now, for everyone or one user, or only shown."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app import mail
from app.db import get_session
from app.digest.service import recipients, send, today

cli = AppGroup("digest", help="The daily e-mail of what needs each user.")


@cli.command("send")
@click.option("--user", "email", help="Only this user (their email).")
@click.option("--dry-run", is_flag=True, help="Print each digest instead; nothing is sent or kept.")
def send_command(email: str | None, dry_run: bool) -> None:
    """Send today's digest to every member who has one due (once a day; off and empty skipped)."""
    session = get_session()
    users = recipients(session, email)
    if email and not users:
        raise click.ClickException(
            f"No active member of any company has the email {email!r}: check the spelling, "
            "or add them to a company first."
        )
    day, failed = today(), 0
    for user in users:
        try:
            outcome, digest = send(session, user, day, dry_run=dry_run)
        except mail.MailError as error:
            click.echo(f"{user.email}: not sent: {error}", err=True)
            failed += 1
            continue
        items = f" ({digest.items} items)" if digest is not None else ""
        click.echo(f"{user.email}: {outcome}{items}")
        if dry_run and digest is not None:
            click.echo(f"Subject: {digest.subject}\n\n{digest.text}")
    if failed:
        raise click.ClickException(f"{failed} digest(s) could not be sent; run again to retry.")
