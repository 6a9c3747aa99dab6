"""Pre-flight lines to act on: red first, readable, each fix a link or a button that does it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.companies.models import Store
from app.fortnox import preflight
from app.fortnox.checks import Check, ordered
from app.mapping.models import MappingVersion
from app.mapping.schema import bas_default
from tests.factories import make_company, make_store, make_user
from tests.sandbox_fixtures import FortnoxCompany, connect_company

HX = {"HX-Request": "true"}


@pytest.fixture
def mapped(session: Session, fortnox_company: FortnoxCompany) -> FortnoxCompany:
    """The connected company, BAS mapping, and a new store B01 whose cost center Fortnox lacks."""
    company = fortnox_company.company
    session.add(MappingVersion(company_id=company.id, version=1, data=bas_default()))
    session.commit()
    make_store(session, company, "B01", "Butik Bryggan")
    make_user(session, "acc@example.com", company, "accountant")
    make_user(session, "admin@example.com", company, "admin")
    return fortnox_company


def url(fc: FortnoxCompany, tail: str = "") -> str:
    """A path under the company's Fortnox page."""
    return f"/c/{fc.company.id}/fortnox/preflight{tail}"


def lines(html: str) -> list[tuple[str, str]]:
    """(key, level) of each line, in the order the panel shows them."""
    return re.findall(r'data-check="([^"]+)" data-ok="[a-z]+" data-level="([a-z]+)"', html)


def centers(fc: FortnoxCompany) -> list[str]:
    """The cost center codes Fortnox holds."""
    return [c["Code"] for c in fc.fortnox("GET", "costcenters")["CostCenters"]]


def test_red_lines_come_first_then_amber_then_green() -> None:
    checks = [
        Check("connection", True, "connection", {"name": "x", "orgnr": "y"}),
        Check("unavailable:settings", False, "unavailable", {"m": "timeout"}),
        Check("cost_center:S12", True, "cost_center", {"store": "S12", "code": "S12"}),
        Check("account:3001", False, "account", {"number": "3001", "uses": ["*:25"]}),
        Check("cost_center:B01", False, "cost_center", {"store": "B01", "code": "B01"}),
    ]
    assert [c.key for c in ordered(checks)] == [
        "account:3001",
        "cost_center:B01",
        "unavailable:settings",
        "connection",
        "cost_center:S12",
    ]


@pytest.mark.parametrize(
    ("locale", "title"),
    [
        ("en", "Account 3001 (sales at 25% VAT, sales of FOOD at 12% VAT, output VAT 25%, "
               "payments by card, payments by invoice, payments by AMEX, cash difference)"),
        ("sv", "Konto 3001 (försäljning med 25\xa0% moms, försäljning av FOOD med 12\xa0% moms, "
               "utgående moms 25\xa0%, betalningar med kort, betalningar med faktura, "
               "betalningar med AMEX, kassadifferens)"),
    ],
)  # fmt: skip
def test_an_account_line_says_what_it_books_in_words(app: Flask, locale: str, title: str) -> None:
    uses = ["*:25", "FOOD:12", "VAT 25", "CARD", "INVOICE", "AMEX", "CASH_DIFFERENCE"]
    check = Check("account:3001", False, "account", {"number": "3001", "uses": uses})
    with app.test_request_context(), force_locale(locale):
        assert check.title == title
        assert "*:" not in check.title and ":12" not in check.title


def test_a_missing_permission_says_which_one_to_grant(app: Flask) -> None:
    check = Check("scope:costcenter", False, "scope", {"scope": "costcenter", "problem": "scope"})
    with app.test_request_context(), force_locale("en"):
        assert check.title == "Fortnox permission: Cost centers"
        assert "grants the “Cost centers” permission" in check.fix
    with app.test_request_context(), force_locale("sv"):
        assert "Kostnadsställen" in check.title and "costcenter" not in check.title


def test_create_cost_center_button_creates_it_once_audited_and_the_line_turns_green(
    client: FlaskClient, auth, session: Session, mapped: FortnoxCompany
) -> None:
    auth.login("acc@example.com")
    html = client.post(url(mapped), headers=HX).get_data(as_text=True)
    shown = lines(html)
    assert shown[0] == ("cost_center:B01", "red")  # the one red line leads
    assert [level for _key, level in shown] == ["red"] + ["green"] * (len(shown) - 1)
    assert "Create cost center B01 in Fortnox" in html
    assert f'action="{url(mapped, "/cost-centers")}"' in html and 'value="B01"' in html
    assert "B01" not in centers(mapped)

    answer = client.post(url(mapped, "/cost-centers"), headers=HX, data={"store": "B01"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<html" not in html
    assert "Cost center B01 was created in Fortnox for store Butik Bryggan." in html
    assert ("cost_center:B01", "green") in lines(html) and "All checks passed" in html
    assert "preflight-ran" in answer.headers["HX-Trigger"]
    session.expire_all()
    assert preflight.preflight_ok_for(session, mapped.company.id)
    made = mapped.fortnox("GET", "costcenters/B01")["CostCenter"]
    assert (made["Description"], made["Active"]) == ("Butik Bryggan", True)

    again = client.post(url(mapped, "/cost-centers"), headers=HX, data={"store": "B01"})
    assert "Cost center B01 exists in Fortnox already." in again.get_data(as_text=True)
    assert centers(mapped).count("B01") == 1
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "fortnox.cost_center_created")
    ).all()
    assert [(e.actor, e.target, e.detail["store"]) for e in events] == [
        ("acc@example.com", "costcenter:B01", "B01")
    ]


def test_without_the_costcenter_permission_it_says_which_to_reconnect_with(
    app: Flask, client: FlaskClient, auth, session: Session, mapped: FortnoxCompany
) -> None:
    with app.app_context():
        connect_company(
            session, mapped.company, mapped.sandbox, mapped.tenant,
            scope="bookkeeping companyinformation settings",
        )  # fmt: skip
    auth.login("admin@example.com")
    html = client.post(url(mapped), headers=HX).get_data(as_text=True)
    assert lines(html)[0] == ("scope:costcenter", "red")
    assert "Fortnox permission: Cost centers" in html
    assert "grants the “Cost centers” permission" in html
    assert "Create cost center" not in html
    assert f'href="/c/{mapped.company.id}/fortnox/authorize"' in html

    answer = client.post(url(mapped, "/cost-centers"), headers=HX, data={"store": "B01"})
    html = answer.get_data(as_text=True)
    assert "lacks Fortnox’s “Cost centers” permission" in html.replace("&#39;", "’").replace(
        "'", "’"
    )
    assert 'role="alert"' in html and "B01" not in centers(mapped)
    events = session.exec(select(AuditEvent).where(AuditEvent.action.like("fortnox.cost%"))).all()
    assert events == []


def test_each_red_line_links_to_the_page_that_fixes_it(
    client: FlaskClient, auth, session: Session, mapped: FortnoxCompany
) -> None:
    mapped.fortnox("PUT", "accounts/3001", {"Account": {"Active": False}})
    mapped.fortnox("PUT", "voucherseries/A", {"VoucherSeries": {"Manual": False}})
    auth.login("admin@example.com")
    html = client.post(url(mapped), headers=HX).get_data(as_text=True)
    cid = mapped.company.id
    row = dict(_rows(html))
    assert f'href="/c/{cid}/mapping/"' in row["account:3001"]
    assert "Map another account" in row["account:3001"]
    assert f'href="/c/{cid}/settings"' in row["series"]
    store = session.exec(select(Store).where(Store.store_id == "B01")).one()
    assert f'href="/c/{cid}/stores/{store.id}/edit"' in row["cost_center:B01"]
    assert "Change the store&#39;s cost center" in row["cost_center:B01"]


def test_an_accountant_gets_no_link_to_admin_pages(
    client: FlaskClient, auth, mapped: FortnoxCompany
) -> None:
    mapped.fortnox("PUT", "voucherseries/A", {"VoucherSeries": {"Manual": False}})
    auth.login("acc@example.com")
    html = client.post(url(mapped), headers=HX).get_data(as_text=True)
    row = dict(_rows(html))
    assert "/settings" not in row["series"] and "/edit" not in row["cost_center:B01"]


def test_running_the_checks_while_not_connected_says_so_beside_the_button(
    client: FlaskClient, auth, session: Session
) -> None:
    company = make_company(session)
    make_user(session, "admin@example.com", company, "admin")
    auth.login("admin@example.com")
    html = client.post(f"/c/{company.id}/fortnox/preflight", headers=HX).get_data(as_text=True)
    run = html.split('class="preflight__run"', 1)[1]
    assert 'id="rerun-preflight"' in run and 'role="alert"' in run
    assert "The checks could not run: Kassabok is not connected to Fortnox." in run
    assert lines(html) == [("connection", "red")]
    page = client.get(f"/c/{company.id}/fortnox/").get_data(as_text=True)
    assert "could not run" not in page  # said once, where the button was pressed


def _rows(html: str) -> list[tuple[str, str]]:
    """Each line's key with the html of its row."""
    parts = html.split("<tr data-check=")[1:]
    return [(p.split('"')[1], p.split("</tr>")[0]) for p in parts]
