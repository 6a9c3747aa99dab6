"""Pre-flight: can this company's closures be posted? One green or red line per condition."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import event
from sqlmodel import Session

from app import events
from app.companies.models import Company
from app.db import utcnow
from app.fortnox import api, conditions, oauth, orgnr, tokens
from app.fortnox.checks import Check
from app.fortnox.client import FortnoxClient
from app.fortnox.errors import AuthLost, FortnoxError

log = logging.getLogger(__name__)
PROBES = {"customer": "customers", "invoice": "invoices", "order": "orders"}
PROBES |= {"archive": "archive", "connectfile": "voucherfileconnections"}  # Z-reports
_PENDING = "kassabok_preflight_after_commit"
PREFLIGHT_HOLD = "preflight_failed"  # the posting hold code of a closure stopped by a red line
ORGNR_HOLD = orgnr.HOLD  # ... and of one stopped by an unconfirmed organisation number
# Holds the post decides from Fortnox's registers; a run has read them again, so try once more.
REGISTER_HOLDS = frozenset({"locked_period", "no_financial_year"})


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
            checks, "companyinformation", lambda: conditions.connection(client, company, conn)
        )
        if conn is not None and not any(c.kind == "orgnr" for c in checks):
            checks.append(orgnr.last_known(company, conn))  # Fortnox did not say which company
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
        live = next((c.params for c in checks if c.key == "connection" and c.ok), None)
        if live is not None:  # which company the token opens, as Fortnox says now
            orgnr.learn(conn, live["name"], live["orgnr"], live.get("database"))
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
        codes = set()  # green again: closures held for it may post (or meet the next red line)
        if any(c.kind == "orgnr" and c.ok for c in checks):
            codes.add(ORGNR_HOLD)
        if checks:  # each held closure is admitted again against its own lines (held if still red)
            codes |= {PREFLIGHT_HOLD, *REGISTER_HOLDS}
        if codes and any(events.announce(events.HOLDS_MAY_CLEAR, s, company_id, codes=codes)):
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


def _stops(check: Check, store: str, day: date) -> bool:
    """True when a red line stops a post of store's closure for day (date lines: that date only)."""
    if check.ok or check.kind in ("unavailable", "connection"):
        return False  # no verdict, or the post's own auth_lost hold says it better
    if check.kind == "scope" and check.params.get("scope") in oauth.FILES:
        return False  # only the Z-report waits for it: the voucher is posted
    if check.kind == "cost_center":
        return check.params.get("store") in (None, store)
    if check.kind == "year":
        return str(check.params.get("date")) == day.isoformat()
    if check.kind == "locked":
        end = check.params.get("end")
        return end is not None and day <= date.fromisoformat(str(end)[:10])
    return True


def holds(red: list[Check]) -> list[tuple[str, dict[str, Any]]]:
    """The posting holds (code, detail) red lines make: an unconfirmed orgnr its own."""
    out = [(ORGNR_HOLD, dict(c.params)) for c in red if c.kind == "orgnr"][:1]
    rest = [c.to_dict() for c in red if c.kind != "orgnr"]
    return out + [(PREFLIGHT_HOLD, {"lines": rest})] if rest else out


def blocking(session: Session, company_id: int, *, store: str, day: date) -> list[Check]:
    """The red lines that stop a post: stored results while fresh, else a re-run (one at a time)."""
    conn = tokens.connection(session, company_id)
    if conn is None or conn.status != tokens.CONNECTED:
        return []  # the post's own auth_lost hold says it better
    if not _fresh(conn):
        _rerun(session, company_id)
    return [c for c in stored(session, company_id) if _stops(c, store, day)]


def blocking_stored(session: Session, company_id: int, *, store: str, day: date) -> list[Check]:
    """The stored red lines that stop a post while they are fresh; never runs the checks."""
    conn = tokens.connection(session, company_id)
    if conn is None or conn.status != tokens.CONNECTED or not _fresh(conn):
        return []  # stale or none: the post job runs the checks again before sending
    return [c for c in stored(session, company_id) if _stops(c, store, day)]


def _fresh(conn: Any) -> bool:
    """True while stored results may stand in for a run: green for an hour, red briefly."""
    if not conn.preflight or conn.preflight_at is None:
        return False
    green = all(Check.from_dict(d).ok for d in conn.preflight)
    knob = "PREFLIGHT_GREEN_SECONDS" if green else "PREFLIGHT_RED_SECONDS"
    seconds = float(current_app.config.get(knob) or (3600 if green else 120))
    return conn.preflight_at >= utcnow() - timedelta(seconds=seconds)


def _rerun(session: Session, company_id: int) -> None:
    """Run the checks unless another job is at it; then read whichever results are newest."""
    from app.queue import get_redis

    lock = get_redis().lock(f"kassabok:preflight:{company_id}", timeout=300)
    if lock.acquire(blocking=True, blocking_timeout=120):
        try:
            session.commit()  # end the read: see what a concurrent run stored
            conn = tokens.connection(session, company_id)
            if conn is None or not _fresh(conn):
                run_and_store(company_id)
        finally:
            lock.release()
    session.commit()  # read the results in a new transaction
    session.expire_all()
