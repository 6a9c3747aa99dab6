"""The day panel links each voucher and invoice number to the document in Fortnox's web app."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from app.closures.models import Closure
from app.fortnox.models import FortnoxConnection
from app.reconcile.models import ClosureCheck
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month
from tests.reconcile.test_views import DAY, MONTH

SPACE = "54489d4ebc8b4a5c88113e07f22511cd"
BASE = f"https://apps.fortnox.se/app/{SPACE}"
HX = {"HX-Request": "true"}


@pytest.fixture
def world(app, session: Session):  # type: ignore[no-untyped-def]
    """The seeded month of a company whose Fortnox address an admin gave (database 4711)."""
    company = make_company(session)
    seed_month(session, company, 4, MONTH, days=12)
    make_user(session, "eva@x.se", company, "accountant")
    session.add(
        FortnoxConnection(
            company_id=company.id or 0, database_number="4711", web_workspace=f"4711:{SPACE}"
        )
    )
    session.commit()
    return company


def _panel(client, company, store: str, day: int) -> str:  # type: ignore[no-untyped-def]
    return client.get(f"/c/{company.id}/dashboard/cell/{store}/{DAY(day)}", headers=HX).text


def _links(html: str) -> dict[str, str]:
    """Each Fortnox link's shown number -> its address."""
    found = re.findall(r'<a class="fortnox-link" href="([^"]+)"[^>]*>([^<]+)<', html)
    return {shown: href for href, shown in found}


def test_voucher_numbers_open_the_voucher_in_fortnox(world, session: Session, client, auth) -> None:
    auth.login("eva@x.se")
    first = session.exec(
        select(Closure).where(Closure.store_code == "S01", Closure.business_date == MONTH)
    ).one()
    links = _links(_panel(client, world, "S01", 1))
    shown = f"A {first.voucher_number}"
    assert links[shown] == f"{BASE}/bf/voucher/A-{first.voucher_number}"  # the closure's voucher
    manual = session.exec(
        select(Closure).where(
            Closure.store_code == "S04", Closure.business_date == MONTH.replace(day=7)
        )
    ).one()
    html = _panel(client, world, "S04", 7)  # the day's vouchers: the closure's and one by hand
    day = _links(html[html.index('class="recon-day"') :])
    hand = 90000 + (manual.voucher_number or 0)  # tests/reconcile/seeding.py's "manual" story
    assert day[f"A {hand}"] == f"{BASE}/bf/voucher/A-{hand}"
    assert 'target="_blank" rel="noopener"' in html  # Fortnox opens beside Kassabok
    duplicate = _links(_panel(client, world, "S02", 4))  # also booked in series I
    assert any(href.startswith(f"{BASE}/bf/voucher/I-") for href in duplicate.values())


def test_an_invoice_number_opens_the_invoice(world, session: Session, client, auth) -> None:
    closure = session.exec(
        select(Closure).where(Closure.store_code == "S03", Closure.business_date == MONTH)
    ).one()
    check = session.exec(select(ClosureCheck).where(ClosureCheck.closure_pk == closure.id)).one()
    check.detail = {
        **check.detail,
        "documents": [
            {"kind": "invoice", "reference": "Faktura", "key": "k", "status": "matched",
             "number": "1042", "problems": []},
            {"kind": "order", "reference": "Order", "key": "o", "status": "matched",
             "number": "7", "problems": []},
        ],
    }  # fmt: skip
    session.add(check)
    session.commit()
    auth.login("eva@x.se")
    html = _panel(client, world, "S03", 1)
    assert _links(html)["1042"] == f"{BASE}/kf/invoice/1042"
    assert "7" not in _links(html)  # Fortnox's web app has no address for an order: plain
    assert '<span class="fortnox-number">7</span>' in html


def test_without_the_companys_fortnox_address_numbers_stay_plain(
    world, session: Session, client, auth
) -> None:
    conn = session.exec(select(FortnoxConnection)).one()
    conn.database_number = "9999"  # connected to another Fortnox company since
    session.add(conn)
    session.commit()
    auth.login("eva@x.se")
    html = _panel(client, world, "S01", 1)
    assert "fortnox-link" not in html and '<span class="fortnox-number">A ' in html
