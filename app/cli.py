"""Every `flask` command group, each defined in its own area."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the command groups to `flask`."""
    from app.audit.cli import cli as audit_cli
    from app.auth.cli import cli as users_cli
    from app.closures.cli import cli as closures_cli
    from app.companies.cli import companies_cli, stores_cli, tokens_cli
    from app.seed import cli as seed_cli

    for group in (
        users_cli,
        companies_cli,
        stores_cli,
        tokens_cli,
        audit_cli,
        seed_cli,
        closures_cli,
    ):
        app.cli.add_command(group)
    app.cli.add_command(__import__("app.posting.cli", fromlist=["cli"]).cli)
    app.cli.add_command(__import__("app.posting.cli", fromlist=["cli"]).worker_cli)
    app.cli.add_command(__import__("app.reports.cli", fromlist=["cli"]).cli)
    app.cli.add_command(__import__("app.fortnox.cli", fromlist=["cli"]).cli)
    app.cli.add_command(__import__("app.reconcile.cli", fromlist=["cli"]).cli)
