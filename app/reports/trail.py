"""Audit events as people read them: what changed, in a period, and per closure."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from app.audit.models import AuditEvent


def N_(text: str) -> str:
    """Mark text for translation where it is shown (babel extracts N_)."""
    return text


ACTIONS = {
    "closure.received": N_("closure received"),
    "closure.upload": N_("closures uploaded"),
    "closure.rejected": N_("payload refused"),
    "closure.rejected_resolved": N_("refused payload resolved"),
    "closure.held": N_("put on hold"),
    "closure.retrying": N_("retry scheduled"),
    "closure.failed": N_("posting failed"),
    "closure.retry": N_("retried"),
    "closure.approved": N_("approved"),
    "closure.note": N_("note added"),
    "closure.voucher_posted": N_("voucher posted"),
    "closure.invoice_posted": N_("invoice posted"),
    "closure.order_posted": N_("order posted"),
    "closure.reversal_posted": N_("reversal posted"),
    "closure.document_cancelled": N_("superseded document cancelled"),
    "closure.document_booked": N_("superseded document already bookkept"),
    "closure.document_left": N_("bookkept document left to be credited by hand"),
    "closure.correction_requested": N_("correction requested"),
    "closure.nothing_to_book": N_("nothing to book"),
    "closure.reviewed": N_("marked reviewed"),
    "closure.zreport_attached": N_("Z-report attached to the voucher"),
    "reconcile.reviewed": N_("store-day reviewed"),
    "fortnox.connected": N_("Fortnox connected"),
    "fortnox.disconnected": N_("Fortnox disconnected"),
    "fortnox.lost": N_("Fortnox connection lost"),
    "fortnox.consent_denied": N_("Fortnox consent denied"),
    "fortnox.link_created": N_("Fortnox authorization link created"),
    "fortnox.orgnr_confirmed": N_("Fortnox company with another organisation number confirmed"),
    "fortnox.keys_rotated": N_("Fortnox token encryption keys rotated"),
    "fortnox.cost_center_created": N_("cost center created in Fortnox"),
    "fortnox.web_address": N_("Fortnox web address kept for links"),
    "evidence.break_explained": N_("Z-chain break explained"),
    "evidence.sie_downloaded": N_("SIE 4 file downloaded"),
    "bank.statement_imported": N_("bank statement imported"),
    "bank.statement_refused": N_("bank statement refused"),
    "bank.settlement_imported": N_("settlement report imported"),
    "bank.settlement_refused": N_("settlement report refused"),
    "bank.profile_saved": N_("settlement profile saved"),
    "bank.fee_voucher_posted": N_("fee voucher posted"),
    "bank.fee_voucher_held": N_("fee voucher put on hold"),
    "bank.fee_voucher_retrying": N_("fee voucher retry scheduled"),
    "bank.fee_voucher_failed": N_("fee voucher failed"),
    "bank.fee_voucher_retried": N_("fee voucher retried"),
    "clearing.match": N_("matched by hand"),
    "clearing.unmatch": N_("match undone by hand"),
    "clearing.forget": N_("hand match forgotten"),
    "clearing.late_after_saved": N_("clearing late-after days saved"),
    "clearing.alias_added": N_("clearing alias added"),
    "clearing.alias_removed": N_("clearing alias removed"),
    "company.created": N_("company created"),
    "member.added": N_("member added"),
    "member.changed": N_("member changed"),
    "member.removed": N_("member removed"),
    "store.created": N_("store created"),
    "store.changed": N_("store changed"),
    "stores.imported": N_("stores imported"),
    "token.created": N_("API token created"),
    "token.revoked": N_("API token revoked"),
    "mapping.saved": N_("mapping saved"),
    "settings.changed": N_("settings changed"),
    "report.ordered": N_("report ordered"),
    "report.built": N_("report built"),
    "report.downloaded": N_("report downloaded"),
    "report.file_deleted": N_("report file deleted (retention)"),
}
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
