"""Every `flask` command group, each defined in its own area."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the command groups to `flask`."""
    from app.audit.cli import cli as audit_cli
    from app.auth.cli import cli as users_cli
    from app.closures.cli import cli as closures_cli
    from app.companies.cli import companies_cli, stores_cli, tokens_cli
    from app.digest.cli import cli as digest_cli
    from app.evidence.cli import cli as vat_cli
    from app.fortnox.cli import cli as fortnox_cli
    from app.posting.cli import cli as posting_cli
    from app.reconcile.cli import cli as reconcile_cli
    from app.reports.cli import cli as reports_cli
    from app.seed import cli as seed_cli

    for group in (
        users_cli,
        companies_cli,
        stores_cli,
        tokens_cli,
        audit_cli,
        seed_cli,
        closures_cli,
        posting_cli,
        reports_cli,
        fortnox_cli,
        reconcile_cli,
        digest_cli,
        vat_cli,
    ):
        app.cli.add_command(group)
