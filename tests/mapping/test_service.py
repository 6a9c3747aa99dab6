"""Mapping versions, import/export with stores, and codes seen in closures but unmapped."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from app import events
from app.audit.models import AuditEvent
from app.auth.models import User
from app.companies.models import Company, Store
from app.mapping import service
from app.mapping.schema import bas_default
from tests.mapping.conftest import fixture


def user(session: Session, email: str = "accountant@example.com") -> User:
    """A user of the company fixture."""
    return session.exec(select(User).where(User.email == email)).one()


def save(session: Session, company: Company, data: dict[str, Any], comment: str = "") -> Any:
    """Save and commit as the accountant."""
    version = service.save_mapping(
        session, company=company, data=data, user=user(session), comment=comment
    )
    session.commit()
    return version


def test_every_save_is_the_next_version_with_who_when_and_comment(
    session: Session, company: Company
) -> None:
    assert service.latest_mapping(session, company.id) is None
    first = save(session, company, bas_default(), "start")
    changed = bas_default()
    changed["payment_methods"]["AMEX"] = "1581"
    second = save(session, company, changed)
    assert (first.version, second.version) == (1, 2)
    assert second.created_by == user(session).id and second.created_at.tzinfo is not None
    assert first.comment == "start"
    assert service.latest_mapping(session, company.id).id == second.id
    assert [v.version for v in service.list_versions(session, company.id)] == [2, 1]
    assert service.get_version(session, company.id, 1).data == bas_default()
    assert service.authors(session, [second]) == {user(session).id: "Accountant"}


def test_versions_are_per_company(session: Session, company: Company) -> None:
    from tests.factories import make_company

    other = make_company(session, "Other AB", "556000-0001")
    save(session, company, bas_default())
    assert save(session, other, bas_default()).version == 1


def test_a_save_is_audited_with_its_diff(session: Session, company: Company) -> None:
    save(session, company, bas_default())
    changed = bas_default()
    changed["vat"]["12"] = "2622"
    save(session, company, changed, "VAT 12 account")
    event = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "mapping.saved" and event.actor == "accountant@example.com"
    assert event.detail["version"] == 2 and event.detail["previous"] == 1
    assert event.detail["changes"] == [
        {"key": "vat/12", "change": "changed", "old": "2621", "new": "2622"}
    ]


def test_an_invalid_mapping_saves_nothing(session: Session, company: Company) -> None:
    bad = bas_default()
    bad["vat"]["12"] = "26"
    with pytest.raises(service.MappingInvalid) as caught:
        service.save_mapping(session, company=company, data=bad, user=None)
    assert caught.value.problems[0].path == "/vat/12"
    session.rollback()
    assert service.list_versions(session, company.id) == []


def test_a_save_runs_preflight_and_hold_recheck(
    session: Session, company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    monkeypatch.setitem(
        events._subscribers,
        events.BOOKS_CHANGED,
        [lambda s, c: calls.append(("p", c)), lambda s, c: calls.append(("h", c))],
    )
    save(session, company, bas_default())
    assert calls == [("p", company.id), ("h", company.id)]


def test_export_carries_the_stores_and_round_trips(session: Session, company: Company) -> None:
    data = bas_default()
    data["sales"]["FOOD:12"] = "3002"
    save(session, company, data)
    exported = service.export_mapping(session, company.id)
    assert exported["schema"] == "kassabok.mapping/1"
    assert exported["stores"] == {"S12": {"name": "Café Centrum", "cost_center": "S12"}}
    result = service.apply_import(session, company=company, data=exported, user=None, actor="t")
    session.commit()
    assert result.version.version == 2 and result.stores == []
    assert service.export_mapping(session, company.id) == exported
    assert service.export_mapping(session, company.id, 1) == exported


def test_import_updates_and_creates_stores_and_says_so(session: Session, company: Company) -> None:
    data = {
        **bas_default(),
        "stores": {
            "S12": {"name": "Café Centrum", "cost_center": "CC12"},
            "S20": {"name": "Café Norr", "cost_center": "S20"},
        },
    }
    result = service.apply_import(session, company=company, data=data, user=user(session))
    session.commit()
    assert [(c.store_id, c.created) for c in result.stores] == [("S12", False), ("S20", True)]
    assert result.stores[0].before == {"name": "Café Centrum", "cost_center": "S12"}
    stores = session.exec(select(Store).where(Store.company_id == company.id)).all()
    assert {s.store_id: s.cost_center for s in stores} == {"S12": "CC12", "S20": "S20"}
    actions = session.exec(select(AuditEvent.action)).all()
    assert "stores.imported" in actions and "mapping.saved" in actions


def test_a_bad_import_changes_nothing(session: Session, company: Company) -> None:
    data = {**bas_default(), "stores": {"S12": {"name": "Renamed", "cost_center": "bad code"}}}
    data["vat"] = {"12": "2621", "0": "2640"}
    with pytest.raises(service.MappingInvalid) as caught:
        service.import_mapping(session, company=company, data=data, user=None)
    session.rollback()
    assert {p.path for p in caught.value.problems} == {"/stores/S12/cost_center", "/vat/0"}
    assert session.exec(select(Store.name)).all() == ["Café Centrum"]
    assert service.latest_mapping(session, company.id) is None


def test_unmapped_codes_seen_in_closures_with_first_z_and_store(
    session: Session, company: Company, add_closure: Callable[..., Any]
) -> None:
    amex = fixture("cafe-full-day", closure_id="c:S12:R1:Z456", z_number=456)
    amex["payments"].append({"method": "AMEX", "amount": "0.00"})
    amex["business_date"] = "2026-11-23"
    add_closure(company, amex)
    later = fixture("cafe-full-day", closure_id="c:S20:R1:Z457", store_id="S20")
    later["payments"].append({"method": "AMEX", "amount": "10.00"})
    later["sales"].append(
        {"product_group": "TOBACCO", "vat_rate": "25", "net": "8", "vat": "2", "gross": "10"}
    )
    add_closure(company, later)
    mapping = copy.deepcopy(bas_default())
    del mapping["sales"]["*:25"]
    del mapping["other"]["ROUNDING"]
    seen = service.seen_in_closures(session, company.id)
    missing = {s.code: s for s in service.unmapped(seen, mapping)}
    assert set(missing) == {"payment:AMEX", "sales:DRINKS:25", "sales:TOBACCO:25", "other:ROUNDING"}
    assert (missing["payment:AMEX"].z_number, missing["payment:AMEX"].store_code) == (456, "S12")
    assert missing["payment:AMEX"].count == 2
    assert (missing["sales:TOBACCO:25"].z_number, missing["sales:TOBACCO:25"].store_code) == (
        457,
        "S20",
    )
    assert missing["sales:TOBACCO:25"].section_key == ("sales", "TOBACCO:25")
    assert missing["other:ROUNDING"].section_key == ("other", "ROUNDING")
    assert service.unmapped(seen, with_all(mapping)) == []


def with_all(mapping: dict[str, Any]) -> dict[str, Any]:
    """mapping with the codes the test closures add."""
    result = copy.deepcopy(mapping)
    result["payment_methods"]["AMEX"] = "1581"
    result["sales"]["*:25"] = "3001"
    result["other"]["ROUNDING"] = "3740"
    return result


def test_invoice_sale_lines_and_older_revisions(
    session: Session, company: Company, add_closure: Callable[..., Any]
) -> None:
    payload = fixture("cafe-full-day")
    payload["invoice_sales"][0]["lines"][0]["product_group"] = "CATERING"
    add_closure(company, payload)
    old = fixture("cafe-full-day", revision=0)
    old["payments"].append({"method": "OLDCARD", "amount": "1.00"})
    add_closure(company, old, is_latest=False)
    codes = {s.code for s in service.seen_in_closures(session, company.id)}
    assert "sales:CATERING:12" in codes and "payment:OLDCARD" not in codes


def test_a_save_lets_closures_held_for_an_unmapped_code_move_on(
    session: Session, company: Company, add_closure: Callable[..., Any]
) -> None:
    from app.closures.models import ClosureState
    from app.fortnox.models import FortnoxConnection
    from app.posting.service import admit

    session.add(FortnoxConnection(company_id=company.id, status="connected"))
    payload = fixture()
    payload["payments"][1]["amount"] = "9540.00"  # CARD, so AMEX's 10.00 keeps it balanced
    payload["payments"].append({"method": "AMEX", "amount": "10.00"})
    closure = add_closure(company, payload)
    save(session, company, bas_default())
    admit(session, closure)
    session.commit()
    assert closure.state == ClosureState.HELD and "AMEX" in closure.state_reason
    mapping = bas_default()
    mapping["payment_methods"]["AMEX"] = "1581"
    save(session, company, mapping)
    session.refresh(closure)
    assert closure.state == ClosureState.QUEUED
