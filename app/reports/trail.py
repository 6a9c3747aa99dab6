"""Audit events as people read them: what changed, in a period, and per closure."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

# The action words live low (app/audit/actions.py); the report and its pages read them here too.
from app.audit.actions import ACTIONS as ACTIONS
from app.audit.actions import N_ as N_
from app.audit.models import AuditEvent

# Kassabok's own per-closure bookkeeping: listed compactly, one line each, in the report.
ROUTINE = {
    "closure.received",
    "closure.voucher_posted",
    "closure.invoice_posted",
    "closure.order_posted",
    "closure.nothing_to_book",
}
TROUBLE = {"closure.held", "closure.failed", "closure.retrying", "closure.correction_requested"}
_BEFORE_AFTER = {"before", "after"}


@dataclass(frozen=True)
class Change:
    """One field that changed: its name, the value before and the value after."""

    key: str
    before: Any
    after: Any


def changes(detail: dict[str, Any] | None) -> list[Change]:
    """What an event changed, from any of the shapes areas record (diff list, before/after)."""
    detail = detail or {}
    rows = detail.get("changes")
    if isinstance(rows, list) and all(isinstance(r, dict) and "key" in r for r in rows):
        return [Change(str(r["key"]), r.get("old"), r.get("new")) for r in rows]
    before, after = detail.get("before"), detail.get("after")
    if isinstance(before, dict) and isinstance(after, dict):
        return [Change(k, before.get(k), after.get(k)) for k in sorted(set(before) | set(after))]
    pairs = [
        (k, v) for k, v in detail.items() if isinstance(v, dict) and set(v) == {"before", "after"}
    ]
    if pairs and len(pairs) == len(detail):
        return [Change(k, v["before"], v["after"]) for k, v in sorted(pairs)]
    return []


def is_routine(event: AuditEvent) -> bool:
    """True for an automatic per-closure event (received, posted) rather than a person's act."""
    return event.user_id is None and event.action in ROUTINE


def window(start: date, end: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC instants that open start and close end in the company's time zone."""
    tz = ZoneInfo(zone)
    opens = datetime.combine(start, time(0), tz).astimezone(UTC)
    closes = datetime.combine(end + timedelta(days=1), time(0), tz).astimezone(UTC)
    return opens, closes


def closure_targets(pks: Iterable[int], closure_ids: Iterable[str]) -> list[str]:
    """The audit targets that name the given closures (by row or by POS closure id)."""
    return sorted({f"closure:{pk}" for pk in pks} | set(closure_ids))


def period_events(
    session: Session, company_id: int, start: date, end: date, zone: str, targets: list[str]
) -> list[AuditEvent]:
    """The company's events during the period, and later ones about the period's closures."""
    opens, closes = window(start, end, zone)
    base = select(AuditEvent).where(AuditEvent.company_id == company_id)
    during = base.where(AuditEvent.created_at >= opens, AuditEvent.created_at < closes)
    found = {e.id: e for e in session.exec(during).all()}
    for chunk in _chunks(targets, 500):
        later = base.where(AuditEvent.created_at >= closes, col(AuditEvent.target).in_(chunk))
        found.update((e.id, e) for e in session.exec(later).all())
    return [found[k] for k in sorted(found)]  # type: ignore[type-var]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    """items in slices of at most size, so no database meets too many parameters."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def by_closure(events: Iterable[AuditEvent], rows: Iterable[Any]) -> dict[int, list[AuditEvent]]:
    """Each closure revision's events (matched by row target, or POS id and revision)."""
    by_target: dict[str, int] = {}
    by_revision: dict[tuple[str, int], int] = {}
    for row in rows:
        by_target[f"closure:{row.pk}"] = row.pk
        by_revision[(row.closure_id, row.revision)] = row.pk
        if row.is_latest:
            by_target.setdefault(row.closure_id, row.pk)
    found: dict[int, list[AuditEvent]] = {}
    for event in events:
        revision = (event.detail or {}).get("revision")
        pk = by_revision.get((event.target, revision)) if isinstance(revision, int) else None
        pk = pk or by_target.get(event.target)
        if pk is not None:
            found.setdefault(pk, []).append(event)
    return found


@dataclass(frozen=True)
class EventFilter:
    """The audit page's filters: who (part of the actor), what (an action), when (dates)."""

    who: str = ""
    action: str = ""
    start: date | None = None
    end: date | None = None


def search(
    session: Session, company_id: int, f: EventFilter, zone: str, page: int, per_page: int
) -> tuple[list[AuditEvent], int]:
    """One page of the company's events matching f, newest first, and how many match in all."""
    query = select(AuditEvent).where(AuditEvent.company_id == company_id)
    if f.who:
        query = query.where(col(AuditEvent.actor).ilike(f"%{f.who}%"))
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.start:
        query = query.where(AuditEvent.created_at >= window(f.start, f.start, zone)[0])
    if f.end:
        query = query.where(AuditEvent.created_at < window(f.end, f.end, zone)[1])
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(AuditEvent.id).desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return list(rows), int(total)


def actions_of(session: Session, company_id: int) -> list[str]:
    """Every action recorded for the company, for the filter's choices."""
    query = select(AuditEvent.action).where(AuditEvent.company_id == company_id).distinct()
    return sorted(session.exec(query).all())
