"""Kassabok: POS closures into Fortnox, reconciled day by day, store by store."""

from __future__ import annotations

import gc
import importlib
from typing import Any

from flask import Flask

from app import converters
from config import ROOT, settings, start_problems


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the portal: settings, extensions, areas, error pages, commands."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    load_config(app, config)
    converters.init_app(app)
    register_extensions(app)
    register_blueprints(app)
    register_subscribers(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_cli(app)
    return app


def load_config(app: Flask, override: dict[str, Any] | None) -> None:
    """Read settings from the environment, then apply a test override."""
    app.config.from_mapping(settings((override or {}).get("ENV_NAME")))
    if override:
        app.config.update(override)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set outside development and tests")
    problems = start_problems(app.config)
    if problems:
        raise RuntimeError(" ".join(problems))


def register_extensions(app: Flask) -> None:
    """Bind every extension and the database and queue helpers."""
    from app import db, i18n, proxy, queue
    from app.closures import problems
    from app.extensions import babel, csrf, htmx, login_manager
    from app.i18n import select_locale, select_timezone
    from app.overview import nav

    db.init_app(app)
    queue.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    i18n.init_app(app)
    problems.init_app(app)
    nav.init_app(app)
    proxy.init_app(app)


# Areas whose routes live in several modules: each joins its area's blueprint.py on import.
ROUTE_MODULES = (
    "app.audit.views",
    "app.audit.export",
    "app.mapping.views",
    "app.mapping.files",
    "app.mapping.cli",
    "app.reconcile.views",
    "app.reconcile.panel_forms",
    "app.reconcile.actions",
    "app.reconcile.bulk_views",
    "app.reconcile.exports",
    "app.reconcile.api",
    "app.bank.fees_views",
)


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per user-facing area."""
    for module in ROUTE_MODULES:
        importlib.import_module(module)
    from app.attachments.views import bp as attachments_bp
    from app.audit.blueprint import bp as audit_bp
    from app.auth.account_views import bp as account_bp
    from app.auth.totp_views import bp as twofactor_bp
    from app.auth.views import bp as auth_bp
    from app.bank.routes import bp as bank_bp
    from app.clearing.routes import bp as clearing_bp
    from app.closures.api import bp as closures_api_bp
    from app.closures.views import bp as closures_bp
    from app.companies.people_views import bp as people_bp
    from app.companies.token_views import bp as tokens_bp
    from app.companies.views import bp as companies_bp
    from app.digest.views import bp as digest_bp
    from app.evidence.views import bp as evidence_bp
    from app.fortnox.views import bp as fortnox_bp
    from app.health.views import bp as health_bp
    from app.mapping.blueprint import bp as mapping_bp
    from app.overview.views import bp as overview_bp
    from app.posting.views import bp as posting_bp
    from app.reconcile.blueprint import bp as reconcile_bp
    from app.reports.views import bp as reports_bp

    for bp in (
        auth_bp,
        account_bp,
        twofactor_bp,
        overview_bp,
        companies_bp,
        people_bp,
        tokens_bp,
        audit_bp,
        closures_api_bp,
        closures_bp,
        posting_bp,
        mapping_bp,
        reports_bp,
        fortnox_bp,
        reconcile_bp,
        health_bp,
        digest_bp,
        evidence_bp,
        attachments_bp,
        bank_bp,
        clearing_bp,
    ):
        app.register_blueprint(bp)


def register_subscribers(app: Flask) -> None:
    """Let the higher areas hear what the lower ones announce (app/events.py), in order."""
    from app import events
    from app.attachments.jobs import after_post
    from app.bank.fees_jobs import note_payouts, requeue_held
    from app.bank.receive import BANK_IMPORTED
    from app.clearing.service import on_bank_imported, on_closure_posted
    from app.fortnox.preflight import refresh_preflight
    from app.posting.account import account_part
    from app.posting.reasons import detail_words
    from app.posting.service import on_closure_received, recheck_holds
    from app.posting.views import status_part
    from app.reconcile import closure_statuses
    from app.reconcile.cache import keep_sent

    events.subscribe(events.CLOSURE_RECEIVED, on_closure_received)
    events.subscribe(events.BOOKS_CHANGED, refresh_preflight)  # first: holds meet fresh checks
    events.subscribe(events.BOOKS_CHANGED, recheck_holds)
    events.subscribe(events.HOLDS_MAY_CLEAR, recheck_holds)
    events.subscribe(events.BOOKS_CHANGED, requeue_held)  # payout fee vouchers, likewise
    events.subscribe(events.HOLDS_MAY_CLEAR, requeue_held)
    events.subscribe(BANK_IMPORTED, note_payouts)  # each new payout's fee voucher
    events.subscribe(events.VOUCHER_SENT, keep_sent)
    events.subscribe(events.CLOSURE_POSTED, after_post)  # its Z-report onto the voucher
    events.subscribe(events.CLOSURE_PAGE, status_part)
    events.subscribe(events.CLOSURE_ACCOUNT, account_part)  # the reason, the invoices
    events.subscribe(events.CLOSURE_STATUSES, closure_statuses.statuses)  # the board decides
    events.subscribe(events.CLOSURE_STATUS_WORDS, closure_statuses.status_words)
    events.subscribe(events.CLOSURE_STATUS_UNCHECKED, closure_statuses.unchecked)
    events.subscribe(events.DETAIL_WORDS, detail_words)  # posting's reasons in the trail
    events.subscribe(BANK_IMPORTED, on_bank_imported)  # after the fee vouchers' listener
    events.subscribe(events.CLOSURE_POSTED, on_closure_posted)  # its store-day's clearing


def register_error_handlers(app: Flask) -> None:
    """Error answers (page, htmx fragment or API JSON) for every 4xx and 5xx."""
    from app.errors import register

    register(app)


def register_security_headers(app: Flask) -> None:
    """Strict headers on every answer, with a CSP that allows no inline script."""
    from app.security import add_headers

    app.after_request(add_headers)


def register_cli(app: Flask) -> None:
    """The `flask` commands for operators and automation."""
    from app.cli import register

    register(app)


def freeze_heap() -> None:
    """Keep the garbage collector from rescanning, on every full pass, what start-up built."""
    # Start-up objects live as long as the process; rescanning them cost ~100 ms per full pass.
    gc.collect()
    gc.freeze()
