"""Mapping versions: the newest, the list, and saving the next one with its audited diff."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, func, select

from app.audit.service import record
from app.auth.models import User
from app.companies.models import Company
from app.mapping.chart import Chart, Refused, refused
from app.mapping.models import MappingVersion
from app.mapping.rechecks import after_change
from app.mapping.schema import (
    SECTIONS,
    DiffRow,
    Problem,
    diff_mappings,
    empty_mapping,
    normalized,
    validate_mapping,
)


class MappingInvalid(Exception):
    """A mapping that may not be saved, with every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.path or '/'}: {p.message}" for p in self.problems))


class AccountsNotInChart(MappingInvalid):
    """A mapping naming accounts the company's Fortnox chart lacks, saved only when confirmed."""

    def __init__(self, accounts: list[Refused]) -> None:
        self.refused = list(accounts)
        super().__init__([Problem(r.path, r.message) for r in self.refused])


def changed_accounts(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[tuple[str, str], str]:
    """The (section, key) → account pairs new names that old did not."""
    before = old or {}
    return {
        (section, str(key)): str(account)
        for section in SECTIONS
        for key, account in (new.get(section) or {}).items()
        if account and (before.get(section) or {}).get(key) != account
    }


def latest_mapping(session: Session, company_id: int) -> MappingVersion | None:
    """The company's newest mapping version, or None before the first save."""
    return session.exec(
        select(MappingVersion)
        .where(MappingVersion.company_id == company_id)
        .order_by(MappingVersion.version.desc())  # type: ignore[attr-defined]
        .limit(1)
    ).first()


def current_data(session: Session, company_id: int) -> dict[str, Any]:
    """The newest mapping document, or an empty one."""
    latest = latest_mapping(session, company_id)
    return normalized(latest.data) if latest else empty_mapping()


def list_versions(session: Session, company_id: int) -> list[MappingVersion]:
    """Every version of the company's mapping, newest first."""
    return list(
        session.exec(
            select(MappingVersion)
            .where(MappingVersion.company_id == company_id)
            .order_by(MappingVersion.version.desc())  # type: ignore[attr-defined]
        ).all()
    )


def get_version(session: Session, company_id: int, version: int) -> MappingVersion | None:
    """One version of the company's mapping."""
    return session.exec(
        select(MappingVersion).where(
            MappingVersion.company_id == company_id, MappingVersion.version == version
        )
    ).first()


def save_mapping(
    session: Session,
    *,
    company: Company,
    data: dict[str, Any],
    user: Any,
    comment: str = "",
    actor: str | None = None,
    chart: Chart | None = None,
    confirmed: bool = False,
) -> MappingVersion:
    """Validate and store data as the next version, audit the diff, then re-run the checks.

    With a chart, an account it lacks (or has inactive) is refused unless confirmed.
    """
    problems = validate_mapping(data)
    if problems:
        raise MappingInvalid(problems)
    if chart is not None and not confirmed:
        latest = latest_mapping(session, company.id or 0)
        missing = refused(chart, changed_accounts(latest.data if latest else None, data), data)
        if missing:
            raise AccountsNotInChart(missing)
    # The company row is locked so two saves cannot both claim the same version number.
    session.exec(select(Company.id).where(Company.id == company.id).with_for_update()).first()
    previous = latest_mapping(session, company.id or 0)
    number = session.exec(
        select(func.max(MappingVersion.version)).where(MappingVersion.company_id == company.id)
    ).one()
    version = MappingVersion(
        company_id=company.id,
        version=(number or 0) + 1,
        data=normalized(data),
        comment=comment.strip()[:500],
        created_by=getattr(user, "id", None),
    )
    session.add(version)
    session.flush()
    changes = diff_mappings(previous.data if previous else None, version.data)
    record(
        session,
        action="mapping.saved",
        company_id=company.id,
        user=user,
        actor=actor,
        target=f"mapping v{version.version}",
        detail={
            "version": version.version,
            "previous": previous.version if previous else None,
            "comment": version.comment,
            **({"confirmed_not_in_chart": True} if confirmed and chart is not None else {}),
            "changes": [_row(r) for r in changes],
        },
    )
    after_change(session, company.id or 0)
    return version


def _row(row: DiffRow) -> dict[str, Any]:
    """A diff row as audit detail."""
    return {"key": row.key, "change": row.change, "old": row.old, "new": row.new}


def authors(session: Session, versions: list[MappingVersion]) -> dict[int, str]:
    """The name (or email) of whoever saved each version, by user id."""
    ids = {v.created_by for v in versions if v.created_by is not None}
    if not ids:
        return {}
    users = session.exec(select(User).where(User.id.in_(ids))).all()  # type: ignore[union-attr]
    return {u.id: u.name or u.email for u in users if u.id is not None}
