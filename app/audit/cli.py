"""`flask audit verify`: prove the hash chain of the audit trail intact."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.audit.service import verify
from app.db import get_session

cli = AppGroup("audit", help="The audit trail.")


@cli.command("verify")
def verify_command() -> None:
    """Check every event's link and content; exit 1 naming the first broken one."""
    report = verify(get_session())
    if report.ok:
        click.echo(f"Audit trail intact: {report.checked} event(s) checked.")
        return
    click.echo(
        f"Audit trail BROKEN at event {report.broken_id}: {report.problem} "
        f"({report.checked} event(s) before it are intact).",
        err=True,
    )
    raise SystemExit(1)
