"""Acquirer settlements in: a CSV kept, read through its profile, its lines stored, or refused."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from app.audit.service import record
from app.bank.models import SettlementFile, SettlementLine, SettlementProfile
from app.bank.profiles import Profile, ProfileProblems, check_profile, shipped_profiles
from app.bank.receive import Arrival, ImportResult, Kind, answer, receive
from app.bank.settlement_csv import Line, parse_settlement, row_identity, weak_identity
from app.bank.statements import _zone
from app.bank.xmlread import FileProblem, FileRefused
from app.closures.problems import _
from app.companies.models import Company
from app.db import utcnow


def profiles_for(session: Session, company: Company) -> dict[str, Profile]:
    """The shipped profiles and the company's own (its own win on a shared name)."""
    found = shipped_profiles()
    query = select(SettlementProfile).where(SettlementProfile.company_id == company.id)
    for row in session.exec(query).all():
        try:
            found[row.name] = check_profile(row.name, row.definition)
        except ProfileProblems:
            continue  # saved through the same checks; one that no longer passes is left out
    return found


def company_profiles(session: Session, company: Company) -> list[SettlementProfile]:
    """The profiles the company's admins described, by name."""
    query = select(SettlementProfile).where(SettlementProfile.company_id == company.id)
    return list(session.exec(query.order_by(col(SettlementProfile.name))).all())


def save_profile(
    session: Session, *, company: Company, name: str, definition: dict[str, Any], user: Any
) -> SettlementProfile:
    """Check and save a company profile (ProfileProblems says what to fix); record who did."""
    profile = check_profile(name, definition)
    if profile.name in shipped_profiles():
        raise ProfileProblems(
            [_("{0} is a profile Kassabok ships; choose another name.").format(name)]
        )
    row = session.exec(
        select(SettlementProfile).where(
            SettlementProfile.company_id == company.id, SettlementProfile.name == profile.name
        )
    ).first() or SettlementProfile(company_id=company.id, name=profile.name)
    before = dict(row.definition or {})
    row.definition, row.saved_by, row.saved_at = (
        profile.as_dict(),
        getattr(user, "id", None),
        utcnow(),
    )
    session.add(row)
    session.flush()
    record(
        session,
        action="bank.profile_saved",
        company_id=company.id,
        user=user,
        target=f"profile:{profile.name}",
        detail={"before": before, "after": row.definition},
    )
    return row


def _read(profile: Profile | None, name: str, raw: bytes) -> Incoming:
    """The rows read through the profile, or FileRefused (an unknown profile included)."""
    if not name:
        msg = _("Name the settlement profile the file is written in (?profile=NAME, --profile).")
        raise FileRefused(FileProblem("profile", None, msg))
    if profile is None:
        msg = _("There is no settlement profile {0}; choose one of the company's profiles.")
        raise FileRefused(FileProblem("profile", None, msg.format(repr(name))))
    return Incoming(parse_settlement(raw, profile, _zone()))


@dataclass
class Incoming:
    """A file's lines, and once sorted against what is held: the new ones and the rest."""

    lines: list[Line]
    fresh: list[Line] = field(default_factory=list)
    held: int = 0  # lines an earlier file brought: not stored again


@dataclass
class _Held:
    """What the company holds of one payout: its lines' identities, and the file that closed it."""

    strong: Counter[str] = field(default_factory=Counter)
    weak: Counter[str] = field(default_factory=Counter)  # lines stored before rows had identities
    closed_by: tuple[SettlementFile, date | None] | None = None

    def hold(self, line: SettlementLine) -> None:
        """Count a stored line in."""
        if line.identity:
            self.strong[line.identity] += 1
        else:
            self.weak[_weak(line)] += 1

    def take(self, line: Line) -> bool:
        """True (and counted off) when the payout holds this line already."""
        if self.strong[line.identity] > 0:
            self.strong[line.identity] -= 1
            return True
        key = _weak(line) if self.weak else ""
        if key and self.weak[key] > 0:
            self.weak[key] -= 1
            return True
        return False


def _weak(line: Any) -> str:
    """A line's identity as its stored fields give it (time of day unknown)."""
    return row_identity(list(weak_identity(line)))


def _held(session: Session, company: Company, references: list[str]) -> dict[str, _Held]:
    """Per payout reference, the lines the company holds and the file of its payout row."""
    held: dict[str, _Held] = defaultdict(_Held)
    rows = session.exec(
        select(SettlementLine, SettlementFile)
        .options(defer(SettlementFile.raw))  # type: ignore[arg-type]
        .join(SettlementFile, col(SettlementFile.id) == SettlementLine.file_id)
        .where(
            SettlementLine.company_id == company.id,
            col(SettlementLine.payout_reference).in_(references),
        )
        .order_by(col(SettlementLine.id))
    ).all()
    for line, file in rows:
        mine = held[line.payout_reference]
        mine.hold(line)
        if line.kind == "payout" and mine.closed_by is None:
            mine.closed_by = (file, line.payout_date or line.transaction_date)
    return held


def _loose(session: Session, company: Company, lines: list[Line]) -> _Held:
    """The lines without a payout reference the company holds on the days these lines are of."""
    days = [ln.transaction_date for ln in lines if ln.transaction_date]
    mine = _Held()
    query = select(SettlementLine).where(
        SettlementLine.company_id == company.id, SettlementLine.payout_reference == ""
    )
    if days and len(days) == len(lines):  # a line without a date could match any stored line
        query = query.where(
            col(SettlementLine.transaction_date) >= min(days),
            col(SettlementLine.transaction_date) <= max(days),
        )
    for line in session.exec(query.order_by(col(SettlementLine.id))).all():
        mine.hold(line)
    return mine


def _sort(session: Session, company: Company, incoming: Incoming) -> list[FileProblem]:
    """Sort the file's lines into new and already held; a closed payout's new lines refuse it.

    A payout is open until its payout row comes: a later file may add lines to it, and lines an
    earlier file brought (the same row identity) are held once. Once closed it takes no more.
    Lines without a payout reference (Zettle's, Worldline's) are held once the same way, so
    exports that overlap by a day count each transaction once.
    """
    references = sorted({ln.payout_reference for ln in incoming.lines if ln.payout_reference})
    held = _held(session, company, references) if references else {}
    unreferenced = [ln for ln in incoming.lines if not ln.payout_reference]
    loose = _loose(session, company, unreferenced) if unreferenced else _Held()
    closed = {ref: mine.closed_by for ref, mine in held.items() if mine.closed_by}
    added: Counter[str] = Counter()
    incoming.fresh, incoming.held = [], 0
    for line in incoming.lines:
        mine = held.get(line.payout_reference) if line.payout_reference else loose
        if mine is not None and mine.take(line):
            incoming.held += 1
            continue
        incoming.fresh.append(line)
        if line.payout_reference in closed:
            added[line.payout_reference] += 1
    return [_closed(ref, count, *closed[ref]) for ref, count in sorted(added.items())]


def _closed(reference: str, count: int, file: SettlementFile, paid: date | None) -> FileProblem:
    """The problem of new lines for a payout whose payout row is already imported."""
    msg = _(
        "Payout {0} is closed: its payout row ({1}) came in {2} (import {3}, received {4}). "
        "This file adds {5} line(s) to it that Kassabok does not hold, and a paid-out payout "
        "takes no more. "
        "If the lines belong to a later payout, ask the acquirer for the report with its batch "
        "numbers; if the acquirer corrected this payout, book the difference by hand."
    )
    when = file.received_at.strftime("%Y-%m-%d %H:%M UTC")
    shown = paid.isoformat() if paid else "?"
    text = msg.format(reference, shown, file.filename or "a file", file.id, when, count)
    return FileProblem("payout_reference", None, text)


def _store(session: Session, row: SettlementFile, incoming: Incoming) -> dict[str, Any]:
    """Store the file's new lines; what the audit trail notes of them."""
    row.line_count, row.held_count = len(incoming.fresh), incoming.held
    session.add_all(
        SettlementLine(company_id=row.company_id, file_id=row.id, **vars(line))
        for line in incoming.fresh
    )
    return {"profile": row.profile, "lines": row.line_count, "held": row.held_count}


def import_settlement(
    session: Session,
    *,
    company: Company,
    raw: bytes,
    profile: str,
    filename: str,
    source: str,
    user: Any = None,
    actor: str | None = None,
) -> ImportResult[SettlementFile]:
    """Keep one settlement CSV and import it with the named profile (201/200/409/422)."""
    chosen = profiles_for(session, company).get(profile)
    kind = Kind("settlement", SettlementFile, partial(_read, chosen, profile), _sort, _store)
    arrival = Arrival(session, company, raw, filename, source, user, actor)
    return receive(arrival, kind, profile=profile[:60])


def settlement_answer(result: ImportResult[SettlementFile]) -> dict[str, Any]:
    """The API's body for a settlement import."""
    row = result.file
    body = answer(result, {"lines": row.line_count, "held": row.held_count})
    if result.outcome == "created" and row.held_count:
        msg = _(
            "The file was imported: {0} new line(s); {1} line(s) an earlier file brought are "
            "held already and were not counted twice."
        )
        body["message"] = msg.format(row.line_count, row.held_count)
    return {**body, "profile": row.profile}
