"""Reconciliation runs: refresh the cache from Fortnox, compare, keep the result per closure/day."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from app.closures.models import Closure
from app.companies.models import Company, Store
from app.db import utcnow
from app.fortnox import api, orgnr, tokens
from app.fortnox.errors import AuthLost, FortnoxError, NeedsAction
from app.posting import reasons
from app.posting.reasons import Reason
from app.reconcile import cache, cache_docs, load, scan
from app.reconcile.compare import ClosureResult, compare_closure
from app.reconcile.day import DayResult, compare_store_day
from app.reconcile.facts import ClosureFacts
from app.reconcile.models import ClosureCheck, StoreDayCheck

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
DEFAULT_DAYS = 40


@dataclass
class Summary:
    """What one run found."""

    company_id: int
    from_date: date
    to_date: date
    closures: Counter = field(default_factory=Counter)
    days: Counter = field(default_factory=Counter)
    requests: int = 0
    scanned: list = field(default_factory=list)
    error: str = ""  # English, for the CLI and logs
    problem: dict = field(default_factory=dict)  # the same as data, worded where shown

    def text(self) -> str:
        """One line for the CLI and the job's result."""
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.closures.items())) or "none"
        out = f"{self.from_date}..{self.to_date}: closures {counts}; requests {self.requests}"
        return out + (f"; {self.error}" if self.error else "")


def default_range(company: Company, lo: date | None, hi: date | None) -> tuple[date, date]:
    """The days to reconcile: given, else the last DEFAULT_DAYS, never before the start date."""
    hi = hi or date.today()
    lo = lo or hi - timedelta(days=DEFAULT_DAYS)
    if company.start_date and lo < company.start_date:
        lo = company.start_date
    return lo, max(lo, hi)


def refresh(session: Session, company: Company, lo: date, hi: date, summary: Summary) -> None:
    """Bring the cache up to date for [lo, hi] (scanning first when due); commits."""
    with closing(api.client_for(session, company.id or 0)) as client:
        start = scan.needs_scan(session, company, lo)
        if start is not None:
            summary.scanned = scan.scan_existing(
                session, company.id or 0, start, max(hi, date.today()), client
            )
        cache.sync_vouchers(session, client, company.id or 0, lo, hi)
        cache.check_recorded(session, client, company.id or 0, lo, hi)
        cache_docs.sync_documents(session, client, company, lo, hi)
        summary.requests = client.calls
        cursor = cache.cursor_for(session, company.id or 0)
        cursor.last_run_at, cursor.last_requests = utcnow(), client.calls
        session.add(cursor)
    session.commit()


def reconcile(
    session: Session,
    company_id: int,
    from_date: date | None = None,
    to_date: date | None = None,
    *,
    progress: Progress | None = None,
) -> Summary:
    """Read Fortnox back for the range, compare every closure and store-day, keep the results."""
    company = session.get(Company, company_id)
    if company is None:
        raise LookupError(company_id)
    lo, hi = default_range(company, from_date, to_date)
    summary = Summary(company_id, lo, hi)
    report = progress or (lambda _step, _done, _total: None)
    report("fetch", 0, 2)
    unconfirmed = other_company(session, company)
    if unconfirmed is not None:  # those are another company's books until an admin says not
        summary.error, summary.problem = "organisation number not confirmed", unconfirmed
    else:
        try:
            refresh(session, company, lo, hi, summary)
        except (AuthLost, FortnoxError) as err:  # compare with what the cache holds, and say why
            session.rollback()
            summary.error, summary.problem = str(err), problem_of(err)
    report("compare", 1, 2)
    closures = load.latest_closures(session, company_id, lo, hi)
    results, days = check(session, company, closures, lo, hi, progress=report)
    summary.closures.update(r.status for r in results)
    summary.days.update(d.status for d in days)
    session.commit()
    report("done", 2, 2)
    return summary


def other_company(session: Session, company: Company) -> dict | None:
    """Why not to read Fortnox: it opens a company of another, unconfirmed organisation number."""
    conn = tokens.connection(session, company.id or 0)
    if conn is not None:  # as stored now: a reconnect or confirmation elsewhere must count
        session.refresh(conn)
    if conn is None or not conn.fortnox_orgnr:
        return None
    line = orgnr.last_known(company, conn)
    return None if line.ok else Reason(orgnr.HOLD, dict(line.params)).to_json()


def problem_of(err: FortnoxError) -> dict:
    """Why Fortnox was not read, as data the reasons renderer words in the reader's language."""
    if isinstance(err, AuthLost):
        return Reason("auth_lost").to_json()
    if isinstance(err, NeedsAction):
        return reasons.refusal(err)
    return reasons.retryable(err)


def check(
    session: Session,
    company: Company,
    closures: Sequence[Closure],
    lo: date,
    hi: date,
    progress: Progress | None = None,
) -> tuple[list[ClosureResult], list[DayResult]]:
    """Compare closures with the cache and store each closure's and store-day's result."""
    facts = load.facts_for(session, company, closures)
    keys = [f.expected.key for f in facts if f.expected is not None]
    book = load.book_for(session, company.id or 0, lo, hi, keys)
    results = [compare_closure(f, book) for f in facts]
    grouped: dict[tuple[str, date], list[tuple[ClosureFacts, ClosureResult]]] = defaultdict(list)
    for f, r in zip(facts, results, strict=True):
        grouped[(f.store_code, f.business_date)].append((f, r))
    days = [
        compare_store_day(code, pairs[0][0].cost_center, day, pairs, book)
        for (code, day), pairs in sorted(grouped.items())
    ]
    save(session, company, closures, results, days)
    return results, days


def save(
    session: Session,
    company: Company,
    closures: Sequence[Closure],
    results: list[ClosureResult],
    days: list[DayResult],
) -> None:
    """Upsert one ClosureCheck per closure and one StoreDayCheck per store-day."""
    now = utcnow()
    by_pk = {c.id: c for c in closures}
    old = {
        c.closure_pk: c
        for c in session.exec(
            select(ClosureCheck).where(col(ClosureCheck.closure_pk).in_(list(by_pk)))
        )
    }
    for result in results:
        closure = by_pk[result.pk]
        row = old.get(result.pk) or ClosureCheck(company_id=company.id or 0, closure_pk=result.pk)
        row.business_date, row.store_code = closure.business_date, closure.store_code
        row.status, row.reason = result.status, result.reason[:2000]
        row.state_version, row.detail, row.checked_at = closure.state_version, result.to_json(), now
        session.add(row)
    if not days:
        return
    stores = {
        s.store_id: s.id for s in session.exec(select(Store).where(Store.company_id == company.id))
    }
    dates = [d.business_date for d in days]
    existing = {
        (r.store_code, r.business_date): r
        for r in session.exec(
            select(StoreDayCheck).where(
                StoreDayCheck.company_id == company.id,
                col(StoreDayCheck.business_date).between(min(dates), max(dates)),
            )
        )
    }
    for day in days:
        row = existing.get((day.store_code, day.business_date)) or StoreDayCheck(
            company_id=company.id or 0, store_code=day.store_code, business_date=day.business_date
        )
        row.store_pk = stores.get(day.store_code)
        row.status, row.differs = day.status, day.differs
        row.pos_total, row.fortnox_total = day.pos_total, day.fortnox_total
        row.detail, row.checked_at = day.to_json(), now
        session.add(row)
    session.flush()


def reconcile_store_day(
    session: Session, company_id: int, store_code: str | Collection[str], day: date
) -> str:
    """Read back what one store-day's closures recorded and check that cell (commits).

    store_code may name several stores of the day: one read-back and one check for them all.
    """
    company = session.get(Company, company_id)
    if company is None:
        raise LookupError(company_id)
    try:
        with closing(api.client_for(session, company_id)) as client:
            cache.check_recorded(session, client, company_id, day, day)
            cache_docs.check_recorded_documents(session, client, company_id, day, day)
        session.commit()
    except Exception:  # reconciling must never break posting; the nightly run catches up
        log.exception("reading back %s %s failed", store_code, day)
        session.rollback()
    stores = {store_code} if isinstance(store_code, str) else set(store_code)
    closures = [
        c for c in load.latest_closures(session, company_id, day, day) if c.store_code in stores
    ]
    _results, days = check(session, company, closures, day, day)
    session.commit()
    return days[0].status if days else "none"


def after_post(session: Session, closure_pk: int) -> str | None:
    """After a post: read back just its voucher and documents, check its store-day (commits)."""
    closure = session.get(Closure, closure_pk)
    if closure is None:
        return None
    try:
        reconcile_store_day(session, closure.company_id, closure.store_code, closure.business_date)
    except Exception:
        log.exception("checking closure %s failed", closure_pk)
        session.rollback()
        return None
    found = session.exec(select(ClosureCheck).where(ClosureCheck.closure_pk == closure_pk)).first()
    return found.status if found else None
