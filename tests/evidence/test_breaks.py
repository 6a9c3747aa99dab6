"""Breaks read from the stored closures: newest revisions, the Z before the month, explanations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.evidence import breaks
from app.evidence.models import ChainExplanation
from tests.closures.ingest_support import bearer, body, make_token
from tests.evidence.support import day
from tests.factories import make_company, make_store, make_user

NOV = (date(2026, 11, 1), date(2026, 11, 30))


def send(client, token: str, payload: dict) -> None:
    resp = client.post(
        "/api/v1/closures",
        data=body(payload),
        headers=bearer(token),
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.get_json()


def test_breaks_of_the_month_chain_from_the_z_before_it(client, session: Session) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    make_store(session, company, "S14")
    token = make_token(session, company)
    for payload in (
        day(103, "2026-10-30", "500.00", "0", ("4000.00", "0.00")),
        day(104, "2026-10-31", "1000.00", "0", ("5000.00", "0.00")),  # the Z before November
        day(105, "2026-11-01", "1000.00", "0", ("6100.00", "0.00")),  # 100.00 never reached us
        day(107, "2026-11-03", "1000.00", "0", ("7600.00", "0.00")),  # 106 sold 500.00
        day(108, "2026-11-04", "10.00", "0", ("10.00", "0.00")),  # reset
        day(1, "2026-11-02", store="S14"),
    ):
        send(client, token, payload)
    found = breaks.findings(session, company.id, *NOV)
    assert [(f.brk.kind, f.brk.z_numbers, f.brk.amount) for f in found] == [
        ("grand_total_jump", (104, 105), Decimal("100.00")),
        ("z_gap", (106,), Decimal("500.00")),
        ("register_reset", (107, 108), Decimal("-7590.00")),
    ]
    assert breaks.findings(session, company.id, *NOV, stores={"S14"}) == []
    assert breaks.findings(session, company.id, date(2026, 10, 1), date(2026, 10, 31)) == []


def test_a_revision_replaces_its_closure_but_another_id_repeats(client, session) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    token = make_token(session, company)
    send(client, token, day(104, "2026-11-03"))
    send(client, token, day(105, "2026-11-04", "1000.00"))
    corrected = day(105, "2026-11-04", "1100.00")
    corrected["revision"] = 2
    send(client, token, corrected)
    assert breaks.findings(session, company.id, *NOV) == []
    send(client, token, day(105, "2026-11-04", "900.00", closure_id="other-pos:Z105"))
    [repeat] = breaks.findings(session, company.id, *NOV)
    assert repeat.brk.kind == "z_repeat"
    assert sorted(repeat.brk.closures) == ["other-pos:Z105", "pos:S12:R1:Z105"]


def test_an_explanation_is_kept_audited_and_shown(client, session: Session) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    user = make_user(session, "acc@example.com", company, role="accountant")
    token = make_token(session, company)
    send(client, token, day(104, "2026-11-03"))
    send(client, token, day(106, "2026-11-05"))
    [gap] = breaks.findings(session, company.id, *NOV)
    assert gap.explained is None and gap.to_json()["explained"] is None
    breaks.explain(
        session, company_id=company.id, brk=gap.brk, comment="Z105 was a training day", user=user
    )
    session.commit()
    [gap] = breaks.findings(session, company.id, *NOV)
    assert gap.explained.comment == "Z105 was a training day"
    assert gap.to_json()["explained"]["by"] == user.name
    assert session.exec(select(ChainExplanation)).one().kind == "z_gap"
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "evidence.break_explained")
    ).one()
    assert event.detail["comment"] == "Z105 was a training day"


def test_the_reconciliation_api_lists_the_breaks_a_reader_may_see(client, auth, session) -> None:
    company = make_company(session)
    s12 = make_store(session, company, "S12")
    make_store(session, company, "S14")
    token = make_token(session, company)
    send(client, token, day(104, "2026-11-03", "1000.00", "0", ("5000.00", "0.00")))
    send(client, token, day(106, "2026-11-05", "800.00", "0", ("7034.56", "0.00")))
    send(client, token, day(7, "2026-11-03", store="S14"))
    send(client, token, day(9, "2026-11-04", store="S14"))
    window = "from=2026-11-01&to=2026-11-30"
    got = client.get(f"/api/v1/reconciliation?{window}", headers=bearer(token)).get_json()
    assert got["breaks"] == [
        {"store": "S12", "register": "R1", "kind": "z_gap", "z_numbers": [105],
         "amount": "1234.56", "side": None, "day": "2026-11-05", "explained": None},
        {"store": "S14", "register": "R1", "kind": "z_gap", "z_numbers": [8],
         "amount": None, "side": None, "day": "2026-11-04", "explained": None},
    ]  # fmt: skip
    make_user(session, "shop@example.com", company, role="store_manager", stores=[s12])
    auth.login("shop@example.com")
    mine = client.get(f"/api/v1/reconciliation?company={company.orgnr}&{window}").get_json()
    assert [b["store"] for b in mine["breaks"]] == ["S12"]
