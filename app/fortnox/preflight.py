"""Pre-flight: can this company's closures be posted? One green or red line per condition."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import event
from sqlmodel import Session

from app.companies.models import Company
from app.db import utcnow
from app.fortnox import api, conditions, oauth, tokens
from app.fortnox.checks import Check
from app.fortnox.client import FortnoxClient
from app.fortnox.errors import AuthLost, FortnoxError

log = logging.getLogger(__name__)
PROBES = {"customer": "customers", "invoice": "invoices", "order": "orders"}
_PENDING = "kassabok_preflight_after_commit"


def _today() -> date:
    """Today in Sweden."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Stockholm"))
    return datetime.now(zone).date()


def run_preflight(
    session: Session, company: Company, *, client: FortnoxClient | None = None, dates: Any = ()
) -> list[Check]:
    """Every pre-flight line for company (asks Fortnox; stores nothing)."""
    conn = tokens.connection(session, company.id or 0)
    own = client is None
    try:
        client = client or api.client_for(session, company.id or 0)
    except AuthLost as err:
        problem = "lost" if conn is not None and conn.status == tokens.LOST else "none"
        params = {"problem": problem, "reason": err.message}
        return [Check("connection", False, "connection", params)]
    post_dates = {_today(), *(date.fromisoformat(str(d)) for d in dates)}
    if company.start_date:
        post_dates.add(company.start_date)
    checks: list[Check] = []
    denied: set[str] = set()
    try:
        denied |= conditions.guard(
            checks, "companyinformation", lambda: conditions.connection(client)
        )
        denied |= conditions.guard(
            checks, "costcenter", lambda: conditions.stores(session, company, client)
        )
        denied |= conditions.guard(
            checks, "bookkeeping", lambda: conditions.accounts(session, company, client)
        )
        denied |= conditions.guard(
            checks, "bookkeeping", lambda: conditions.years(company, client, post_dates)
        )
        denied |= conditions.guard(
            checks, "settings", lambda: conditions.locked(company, client, post_dates)
        )
        for scope in oauth.required_scopes(company):
            if scope in PROBES:
                denied |= conditions.guard(
                    checks, scope, lambda s=scope: conditions.probe(client, PROBES[s])
                )
    except AuthLost as err:
        params = {"problem": "lost", "reason": err.message}
        return [Check("connection", False, "connection", params)]
    except FortnoxError as err:
        checks.append(Check("unavailable", False, "unavailable", {"m": err.message}))
    finally:
        if own:
            client.close()
    return _scope_lines(company, conn, denied) + checks


def _scope_lines(company: Company, conn: Any, denied: set[str]) -> list[Check]:
    """One line per permission the settings need: granted at consent, licensed in Fortnox."""
    granted = set((conn.scope if conn else "").replace(",", " ").split())
    out = []
    for scope in oauth.required_scopes(company):
        problem = "scope" if granted and scope not in granted else ""
        if not problem and scope in denied:
            problem = "licence"
        params = {"scope": scope, "problem": problem}
        out.append(Check(f"scope:{scope}", not problem, "scope", params))
    return out


def store_results(session: Session, company: Company, checks: list[Check]) -> None:
    """Keep the results on the company's connection (the caller commits)."""
    conn = tokens.connection(session, company.id or 0)
    if conn is not None:
        conn.preflight = [c.to_dict() for c in checks]
        conn.preflight_at = utcnow()
        session.add(conn)


def stored(session: Session, company_id: int) -> list[Check]:
    """The last stored results (none before the first run)."""
    conn = tokens.connection(session, company_id)
    return [Check.from_dict(d) for d in (conn.preflight if conn else []) or []]


def preflight_ok_for(
    session: Session, company_id: int, *, max_age: timedelta | None = None
) -> bool:
    """Cheap: the stored results are all green, the connection live (and fresh enough)."""
    conn = tokens.connection(session, company_id)
    if conn is None or conn.status != tokens.CONNECTED or not conn.preflight:
        return False
    if max_age is not None and (
        conn.preflight_at is None or conn.preflight_at < utcnow() - max_age
    ):
        return False
    return all(c.ok for c in stored(session, company_id))


def failing(session: Session, company_id: int) -> list[Check]:
    """The red lines of the stored results."""
    return [c for c in stored(session, company_id) if not c.ok]


def run_and_store(company_id: int) -> list[Check]:
    """Run the checks in a session of their own and store them (the refresh behind the hooks)."""
    with tokens._own_session() as s:
        company = s.get(Company, company_id)
        if company is None:
            return []
        checks = run_preflight(s, company)
        store_results(s, company, checks)
        s.commit()
        return checks


def refresh_preflight(session: Session, company_id: int) -> list[Check] | None:
    """Re-run the checks now, or right after session's open transaction commits.

    Never inside the caller's transaction: a token refresh commits in its own session
    and must not wait on locks the caller holds.
    """
    if not session.in_transaction():
        return run_and_store(company_id)
    pending: set[int] = session.info.setdefault(_PENDING, set())
    if not pending:
        app = current_app._get_current_object()  # type: ignore[attr-defined]

        def after(committed: Session) -> None:
            for cid in sorted(committed.info.pop(_PENDING, set())):
                try:
                    with app.app_context():
                        run_and_store(cid)
                except Exception:  # the save succeeded; a failed check must not undo it
                    log.exception("pre-flight after commit failed for company %s", cid)

        event.listen(session, "after_commit", after, once=True)
        event.listen(session, "after_rollback", lambda s: s.info.pop(_PENDING, None), once=True)
    pending.add(company_id)
    return None
