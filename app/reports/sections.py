"""The report's sections computed from its rows and events: summary, stores, exceptions, mapping."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.companies.models import Store
from app.mapping.models import MappingVersion
from app.mapping.schema import diff_mappings, flatten
from app.reconcile.counts import reviewed_status
from app.reconcile.day import DayLine, stored_lines
from app.reconcile.models import StoreDayCheck
from app.reconcile.reviews import Day, Reviewed, reviews_in, settled
from app.reports.data import STATUSES, ZERO, ReportRow, latest
from app.reports.trail import TROUBLE

# Not exceptions by themselves: booked and checked, or simply not checked against Fortnox yet.
QUIET = ("matched", "pending")


@dataclass
class Summary:
    """The period at a glance; figures count only each closure's newest revision."""

    closures: int
    revisions: int
    stores: int
    days: int
    by_rate: list[tuple[str, Decimal, Decimal, Decimal]]
    by_method: list[tuple[str, Decimal]]
    statuses: list[tuple[str, int]]
    gross: Decimal
    vat: Decimal
    net: Decimal
    paid: Decimal
    booked: Decimal
    unbooked: Decimal
    fortnox: Decimal | None


def summarize(rows: list[ReportRow], days: list[StoreDayCheck]) -> Summary:
    """Totals by VAT rate and payment method, POS against Fortnox, and status counts."""
    counted = latest(rows)
    rates: dict[str, list[Decimal]] = {}
    methods: dict[str, Decimal] = {}
    for row in counted:
        for rate, amounts in row.by_rate.items():
            acc = rates.setdefault(rate, [ZERO, ZERO, ZERO])
            for i in range(3):
                acc[i] += amounts[i]
        for method, amount in row.by_method.items():
            methods[method] = methods.get(method, ZERO) + amount
    status_counts = Counter(row.status for row in rows)
    booked = sum((r.gross for r in counted if r.status == "matched"), ZERO)
    gross = sum((r.gross for r in counted), ZERO)
    fortnox = sum((d.fortnox_total for d in days), ZERO) if days else None
    return Summary(
        closures=len(counted),
        revisions=len(rows),
        stores=len({r.store_code for r in counted}),
        days=len({r.business_date for r in counted}),
        by_rate=[(k, *v) for k, v in sorted(rates.items(), key=lambda kv: -_rate(kv[0]))],
        by_method=sorted(methods.items()),
        statuses=[(s, status_counts[s]) for s in STATUSES if status_counts[s]],
        gross=gross,
        vat=sum((r.vat for r in counted), ZERO),
        net=sum((r.net for r in counted), ZERO),
        paid=sum((r.paid for r in counted), ZERO),
        booked=booked,
        unbooked=gross - booked,
        fortnox=fortnox,
    )


def _rate(rate: str) -> Decimal:
    """A VAT rate as a number for sorting (unknown text last)."""
    try:
        return Decimal(rate)
    except ArithmeticError:
        return Decimal(-1)


@dataclass
class StoreSection:
    """One store's closures, day by day, with its totals."""

    code: str
    name: str
    cost_center: str
    rows: list[ReportRow] = field(default_factory=list)
    gross: Decimal = ZERO
    vat: Decimal = ZERO
    paid: Decimal = ZERO
    fortnox: Decimal | None = None


def store_sections(
    rows: list[ReportRow], stores: list[Store], days: list[StoreDayCheck]
) -> list[StoreSection]:
    """Rows grouped by store (as they arrive: sorted by store, day, Z-number, revision)."""
    known = {s.store_id: s for s in stores}
    fortnox: dict[str, Decimal] = {}
    for day in days:
        fortnox[day.store_code] = fortnox.get(day.store_code, ZERO) + day.fortnox_total
    sections: dict[str, StoreSection] = {}
    for row in rows:
        section = sections.get(row.store_code)
        if section is None:
            store = known.get(row.store_code)
            section = StoreSection(
                row.store_code, store.name if store else "", store.cost_center if store else ""
            )
            section.fortnox = fortnox.get(row.store_code)
            sections[row.store_code] = section
        section.rows.append(row)
        if row.is_latest:
            section.gross += row.gross
            section.vat += row.vat
            section.paid += row.paid
    return list(sections.values())


@dataclass
class ExceptionItem:
    """A closure revision that was or is not plainly matched, and what people did about it."""

    row: ReportRow
    reason: str
    events: list[AuditEvent]
    resolved_by: AuditEvent | None
    reviews: list[Reviewed] = field(default_factory=list)  # of its store-day: who, when, why


def exceptions(
    rows: list[ReportRow],
    events: dict[int, list[AuditEvent]],
    reviews: dict[Day, list[Reviewed]] | None = None,
) -> list[ExceptionItem]:
    """Revisions held, failed, mismatched, reviewed, missing, duplicated, superseded, or retried."""
    found = []
    for row in rows:
        history = events.get(row.pk, [])
        trouble = [e for e in history if e.action in TROUBLE]
        if row.status in QUIET and not trouble:
            continue
        reason = row.reason or _reason(trouble[-1].detail if trouble else {})
        people = [e for e in history if e.user_id is not None and e.action not in TROUBLE]
        said = (reviews or {}).get((row.store_code, row.business_date), [])
        found.append(ExceptionItem(row, reason, history, people[-1] if people else None, said))
    return found


@dataclass
class DifferingDay:
    """A store-day on which Fortnox holds other amounts: each account's difference, its reviews."""

    check: StoreDayCheck
    status: str
    lines: list[DayLine]  # only the accounts that differ; empty when the check kept none
    reviews: list[Reviewed]

    @property
    def net(self) -> Decimal:
        """Fortnox less the POS over the whole day (0 when accounts cancel out)."""
        return self.check.fortnox_total - self.check.pos_total


def differing_days(
    days: list[StoreDayCheck], reviews: dict[Day, list[Reviewed]]
) -> list[DifferingDay]:
    """The store-days that differ, with the accounts that do (never only a net that may be 0)."""
    out = []
    for day in days:
        if not day.differs:
            continue
        said = reviews.get((day.store_code, day.business_date), [])
        lines = [x for x in stored_lines(day.detail or {}) if x.delta]
        out.append(DifferingDay(day, reviewed_status(day.status, settled(said)), lines, said))
    return out


def _reason(detail: dict[str, Any]) -> str:
    """The reason an event recorded for a hold or failure."""
    return str(detail.get("reason") or detail.get("error") or "")


@dataclass
class VersionInForce:
    """A mapping version that applied during the period, and what it changed from the one before."""

    version: MappingVersion
    author: str
    used_by: int
    entries: list[tuple[str, str]]
    diff: list[Any]


def mapping_in_force(
    session: Session, company_id: int, rows: list[ReportRow], opens: datetime, closes: datetime
) -> list[VersionInForce]:
    """The versions in force: current at the start, saved during the period, or used by a post."""
    versions = list(
        session.exec(
            select(MappingVersion)
            .where(MappingVersion.company_id == company_id)
            .order_by(MappingVersion.version)
        ).all()
    )
    used = Counter(r.mapping_version_id for r in rows if r.mapping_version_id is not None)
    before = [v for v in versions if v.created_at < opens]
    chosen = {v.id for v in versions if opens <= v.created_at < closes or v.id in used}
    if before:
        chosen.add(before[-1].id)
    authors = _authors(session, company_id, versions)
    result, previous = [], None
    for version in versions:
        if version.id in chosen:
            entries = sorted(flatten(version.data).items()) if previous is None else []
            diff = diff_mappings(previous.data, version.data) if previous is not None else []
            author = authors.get(version.version, "")
            result.append(VersionInForce(version, author, used[version.id], entries, diff))
        previous = version
    return result


def _authors(session: Session, company_id: int, versions: list[MappingVersion]) -> dict[int, str]:
    """Who saved each version, from the mapping.saved events (by version number)."""
    if not versions:
        return {}
    events = session.exec(
        select(AuditEvent).where(
            AuditEvent.company_id == company_id, col(AuditEvent.action) == "mapping.saved"
        )
    ).all()
    return {int(e.detail.get("version", 0)): e.actor for e in events if e.detail}


def reviews(session: Session, company_id: int, start: date, end: date) -> dict[Day, list[Reviewed]]:
    """Every review of the period's store-days, oldest first: reviewer, time, comment."""
    return reviews_in(session, company_id, start, end)
