"""Acquirer settlements in: a CSV kept, read through its profile, its lines stored, or refused."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlmodel import Session, col, select

from app.audit.service import record
from app.bank.models import SettlementFile, SettlementLine, SettlementProfile
from app.bank.profiles import Profile, ProfileProblems, check_profile, shipped_profiles
from app.bank.receive import Arrival, ImportResult, Kind, answer, receive
from app.bank.settlement_csv import Line, parse_settlement
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


def _read(profile: Profile | None, name: str, raw: bytes) -> list[Line]:
    """The rows read through the profile, or FileRefused (an unknown profile included)."""
    if not name:
        msg = _("Name the settlement profile the file is written in (?profile=NAME, --profile).")
        raise FileRefused(FileProblem("profile", None, msg))
    if profile is None:
        msg = _("There is no settlement profile {0}; choose one of the company's profiles.")
        raise FileRefused(FileProblem("profile", None, msg.format(repr(name))))
    return parse_settlement(raw, profile, _zone())


def _conflicts(session: Session, company: Company, lines: list[Line]) -> list[FileProblem]:
    """Payouts of this file that an earlier, different file already brought."""
    references = sorted({line.payout_reference for line in lines if line.payout_reference})
    if not references:
        return []
    known = session.exec(
        select(SettlementLine.payout_reference, SettlementFile)
        .join(SettlementFile, col(SettlementFile.id) == SettlementLine.file_id)
        .where(
            SettlementLine.company_id == company.id,
            col(SettlementLine.payout_reference).in_(references),
        )
    ).all()
    seen: dict[str, SettlementFile] = {}
    for reference, earlier in known:
        seen.setdefault(reference, earlier)
    msg = _(
        "Payout {0} was already imported on {1} from {2} (import {3}) with other lines; the "
        "acquirer's corrected report replaces it only once the earlier import is removed."
    )
    return [
        FileProblem(
            "payout_reference",
            None,
            msg.format(
                reference,
                earlier.received_at.strftime("%Y-%m-%d %H:%M UTC"),
                earlier.filename or "a file",
                earlier.id,
            ),
        )
        for reference, earlier in sorted(seen.items())
    ]


def _store(session: Session, row: SettlementFile, lines: list[Line]) -> dict[str, Any]:
    """Store the file's lines; what the audit trail notes of them."""
    row.line_count = len(lines)
    session.add_all(
        SettlementLine(company_id=row.company_id, file_id=row.id, **vars(line)) for line in lines
    )
    return {"profile": row.profile, "lines": len(lines)}


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
    kind = Kind("settlement", SettlementFile, partial(_read, chosen, profile), _conflicts, _store)
    arrival = Arrival(session, company, raw, filename, source, user, actor)
    return receive(arrival, kind, profile=profile[:60])


def settlement_answer(result: ImportResult[SettlementFile]) -> dict[str, Any]:
    """The API's body for a settlement import."""
    row = result.file
    return {**answer(result, {"lines": row.line_count}), "profile": row.profile}
