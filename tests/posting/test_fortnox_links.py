"""Links into Fortnox's web app (15.9): the addresses made, and the company's address kept."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.fortnox import weblinks
from app.fortnox.models import FortnoxConnection
from tests.factories import make_user

SPACE = "54489d4ebc8b4a5c88113e07f22511cd"
HX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    "address",
    [
        f"https://apps.fortnox.se/app/{SPACE}/bf/voucherlist",
        f"https://apps5.fortnox.se/app/{SPACE.upper()}/kf/invoice/12?x=1",
        f"apps2.fortnox.se/app/{SPACE}/common/lobby",
        f"  https://apps.fortnox.se/app/{SPACE}  ",
        SPACE,
    ],
)
def test_the_workspace_is_read_from_any_address_of_the_company(address) -> None:
    assert weblinks.workspace_from(address) == SPACE


@pytest.mark.parametrize(
    "address",
    ["", "https://apps.fortnox.se/", "https://apps.fortnox.se/app/12345/common/lobby", "hej"],
)
def test_an_address_without_a_workspace_gives_none(address) -> None:
    assert weblinks.workspace_from(address) is None


def test_documents_are_addressed_as_the_web_app_writes_them(app) -> None:
    base = f"https://apps.fortnox.se/app/{SPACE}"
    assert weblinks.document_url(SPACE, "voucher", 12, "A") == f"{base}/bf/voucher/A-12"
    assert weblinks.document_url(SPACE, "invoice", "1042") == f"{base}/kf/invoice/1042"
    assert weblinks.document_url(SPACE, "voucher", 12) == ""  # a voucher needs its series
    assert weblinks.document_url(SPACE, "order", 3) == ""  # no known address for an order
    assert weblinks.document_url(None, "invoice", 3) == ""
    app.config["FORTNOX_WEB_URL"] = "https://apps2.fortnox.se/"
    assert weblinks.document_url(SPACE, "invoice", 3).startswith("https://apps2.fortnox.se/app/")


def test_a_workspace_belongs_to_the_fortnox_company_it_was_given_for() -> None:
    conn = FortnoxConnection(company_id=1, database_number="4711")
    assert weblinks.remember(conn, f"https://apps.fortnox.se/app/{SPACE}/") == SPACE
    assert weblinks.workspace(conn) == SPACE
    conn.database_number = "9999"  # connected to another Fortnox company since
    assert weblinks.workspace(conn) is None


def _connected(session: Session, books, database_number: str = "4711") -> FortnoxConnection:
    conn = session.exec(select(FortnoxConnection)).one()
    conn.database_number = database_number
    session.add(conn)
    session.commit()
    return conn


def test_the_fortnox_page_keeps_a_pasted_address(client, auth, session, books) -> None:
    conn = _connected(session, books)
    make_user(session, "acc@example.com", books, "accountant")
    auth.login("acc@example.com")
    page = client.get(f"/c/{books.id}/fortnox/").get_data(as_text=True)
    assert '<label class="field__label" for="web-address-input">' in page
    url = f"/c/{books.id}/fortnox/web-address"
    wrong = client.post(url, data={"address": "https://apps.fortnox.se/"}, headers=HX)
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and 'aria-invalid="true"' in html
    assert 'aria-describedby="web-address-hint web-address-error"' in html
    assert "32 letters and digits" in html and 'value="https://apps.fortnox.se/"' in html
    session.refresh(conn)
    assert conn.web_workspace == ""
    address = f"https://apps.fortnox.se/app/{SPACE}/bf/voucherlist"
    right = client.post(url, data={"address": address}, headers=HX).get_data(as_text=True)
    assert (
        f'href="https://apps.fortnox.se/app/{SPACE}/"' in right and "web-address-error" not in right
    )
    session.refresh(conn)
    assert conn.web_workspace == f"4711:{SPACE}"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "fortnox.web_address")).one()
    assert event.detail == {"workspace": SPACE}


@pytest.mark.parametrize("role", ["store_manager", "auditor"])
def test_only_accountants_and_admins_set_the_address(client, auth, session, books, role) -> None:
    conn = _connected(session, books)
    make_user(session, "x@example.com", books, role)
    auth.login("x@example.com")
    answer = client.post(f"/c/{books.id}/fortnox/web-address", data={"address": SPACE})
    assert answer.status_code == 403
    session.refresh(conn)
    assert conn.web_workspace == ""


def test_without_a_connection_the_address_is_refused(client, auth, session, books) -> None:
    make_user(session, "acc@example.com", books, "accountant")
    auth.login("acc@example.com")
    answer = client.post(f"/c/{books.id}/fortnox/web-address", data={"address": SPACE}, headers=HX)
    assert "Connect Kassabok to Fortnox first" in answer.get_data(as_text=True)
