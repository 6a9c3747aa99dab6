"""`kassabok.mapping/1` files: export with the stores, import all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from app.audit.service import record
from app.companies.models import Company, Store
from app.mapping.chart import Chart
from app.mapping.models import MappingVersion
from app.mapping.schema import SCHEMA, Problem, empty_mapping, normalized, validate_mapping
from app.mapping.texts import _
from app.mapping.versions import MappingInvalid, get_version, latest_mapping, save_mapping


@dataclass(frozen=True)
class StoreChange:
    """A store an import created or changed."""

    store_id: str
    created: bool
    before: dict[str, str]
    after: dict[str, str]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the new mapping version and the stores it touched."""

    version: MappingVersion
    stores: list[StoreChange] = field(default_factory=list)


def _stores_section(session: Session, company_id: int) -> dict[str, dict[str, str]]:
    """The company's stores as the mapping file's `stores` section."""
    stores = session.exec(
        select(Store).where(Store.company_id == company_id).order_by(Store.store_id)
    ).all()
    return {s.store_id: {"name": s.name, "cost_center": s.cost_center} for s in stores}


def export_mapping(session: Session, company_id: int, version: int | None = None) -> dict[str, Any]:
    """The mapping (newest or the given version) as a `kassabok.mapping/1` document with stores."""
    chosen = (
        get_version(session, company_id, version)
        if version is not None
        else latest_mapping(session, company_id)
    )
    data = normalized(chosen.data) if chosen else empty_mapping()
    return {**data, "schema": SCHEMA, "stores": _stores_section(session, company_id)}


def _store_changes(
    session: Session, company: Company, stores: dict[str, dict[str, str]]
) -> list[StoreChange]:
    """The stores the `stores` section creates, and those whose name or cost center it changes."""
    existing = {
        s.store_id: s for s in session.exec(select(Store).where(Store.company_id == company.id))
    }
    changes = []
    for store_id, wanted in stores.items():
        after = {"name": wanted["name"].strip(), "cost_center": wanted["cost_center"]}
        store = existing.get(store_id)
        before = {} if store is None else {"name": store.name, "cost_center": store.cost_center}
        if before != after:
            changes.append(StoreChange(store_id, store is None, before, after))
    return changes


def _apply_stores(session: Session, company: Company, changes: list[StoreChange]) -> None:
    """Create and update the stores as the changes say."""
    existing = {
        s.store_id: s for s in session.exec(select(Store).where(Store.company_id == company.id))
    }
    for change in changes:
        store = existing.get(change.store_id)
        if store is None:
            store = Store(company_id=company.id, store_id=change.store_id)
        store.name, store.cost_center = change.after["name"], change.after["cost_center"]
        session.add(store)
    session.flush()


def _stores_refused(changes: list[StoreChange]) -> Problem:
    """Why a user who may not change stores cannot import a file that would."""
    created = ", ".join(c.store_id for c in changes if c.created) or "-"
    changed = ", ".join(c.store_id for c in changes if not c.created) or "-"
    return Problem(
        "/stores",
        _(
            "Only an admin may create or change stores, and this file would (create: "
            "%(created)s; change: %(changed)s). Nothing was imported: remove the stores "
            "section or make it match the stores, or ask an admin to import the file.",
            created=created,
            changed=changed,
        ),
    )


def apply_import(
    session: Session,
    *,
    company: Company,
    data: Any,
    user: Any,
    comment: str = "",
    actor: str | None = None,
    chart: Chart | None = None,
    confirmed: bool = False,
    may_change_stores: bool = True,
) -> ImportResult:
    """Import a whole `kassabok.mapping/1` document: all of it, or nothing when it has problems.

    Without may_change_stores (only admins may), a `stores` section that creates or changes a
    store refuses the whole file; one that matches the stores (an export) is fine.
    """
    problems = validate_mapping(data)
    if problems:
        raise MappingInvalid(problems)
    store_changes = _store_changes(session, company, data.get("stores") or {})
    if store_changes and not may_change_stores:
        raise MappingInvalid([_stores_refused(store_changes)])
    _apply_stores(session, company, store_changes)
    if store_changes:
        record(
            session,
            action="stores.imported",
            company_id=company.id,
            user=user,
            actor=actor,
            target="stores",
            detail={
                "created": [c.store_id for c in store_changes if c.created],
                "changed": {c.store_id: [c.before, c.after] for c in store_changes if c.before},
            },
        )
    version = save_mapping(
        session,
        company=company,
        data=data,
        user=user,
        comment=comment or "imported from a kassabok.mapping/1 file",
        actor=actor,
        chart=chart,
        confirmed=confirmed,
    )
    return ImportResult(version, store_changes)


def import_mapping(
    session: Session, *, company: Company, data: Any, user: Any, actor: str | None = None
) -> MappingVersion:
    """Import a mapping document (stores included); the new mapping version."""
    return apply_import(session, company=company, data=data, user=user, actor=actor).version
