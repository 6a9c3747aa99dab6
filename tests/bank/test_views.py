"""The bank page: who may see and upload, what an upload shows, the raw file, the profile form."""

from __future__ import annotations

import io

import pytest
from sqlmodel import col, select

from app.audit.models import AuditEvent
from app.bank.models import SettlementProfile
from tests.bank.camt_builder import day_statement
from tests.bank.conftest import settlement_file
from tests.bank.test_camt053 import LAUGHS
from tests.factories import make_user


def upload(client, company, kind: str, raw: bytes, name: str, htmx: bool = False, **form):
    """Post a file to the page's statement or settlement form."""
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"file": (io.BytesIO(raw), name), **form}
    return client.post(
        f"/c/{company.id}/bank/{kind}",
        data=data,
        headers=headers,
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("role", "page", "post"),
    [
        ("admin", 200, 200),
        ("accountant", 200, 200),
        ("auditor", 200, 403),
        ("store_manager", 403, 403),
    ],
)
def test_who_sees_and_uploads(client, auth, session, company, role, page, post):
    make_user(session, f"{role}@example.com", company, role)
    auth.login(f"{role}@example.com")
    shown = client.get(f"/c/{company.id}/bank")
    assert shown.status_code == page
    if page == 200:
        assert (b'id="upload-statement"' in shown.data) == (post == 200)
    assert upload(client, company, "statements", day_statement(), "d.xml").status_code == post


def test_a_good_and_a_hostile_statement_uploaded(client, auth, session, company):
    make_user(session, "acc@example.com", company, "accountant")
    auth.login("acc@example.com")
    good = upload(client, company, "statements", day_statement(), "day.xml", htmx=True)
    text = good.get_data(as_text=True)
    assert good.status_code == 200 and "<html" not in text and "HX-Request" in good.vary
    assert 'data-outcome="created"' in text and "1 statement(s), 4 entries" in text
    bad = upload(client, company, "statements", LAUGHS, "lol.xml", htmx=True)
    text = bad.get_data(as_text=True)
    assert 'data-outcome="invalid"' in text and "<code>DOCTYPE</code> line 2:" in text
    assert "The file is kept as received (import 2)" in text
    page = client.get(f"/c/{company.id}/bank").get_data(as_text=True)
    assert 'id="statement-file-1"' in page and 'id="statement-file-2"' in page
    raw = client.get(f"/c/{company.id}/bank/statements/2/raw")
    assert raw.status_code == 200 and raw.data == LAUGHS
    assert client.get(f"/c/{company.id}/bank/statements/9/raw").status_code == 404
    trail = client.get(f"/c/{company.id}/audit").get_data(as_text=True)
    assert "bank statement imported" in trail and "Bank statement import 1" in trail
    assert "bank statement refused" in trail
    events = session.exec(
        select(AuditEvent.action, AuditEvent.actor).order_by(col(AuditEvent.id))
    ).all()
    assert events[-2:] == [
        ("bank.statement_imported", "acc@example.com"),
        ("bank.statement_refused", "acc@example.com"),
    ]


def test_a_settlement_uploaded_with_its_format_and_one_without_a_file(
    client, auth, session, company
):
    make_user(session, "admin@example.com", company, "admin")
    auth.login("admin@example.com")
    raw = settlement_file("zettle-finance-transactions.csv")
    done = upload(client, company, "settlements", raw, "z.csv", profile="zettle")
    assert 'data-outcome="created"' in done.get_data(as_text=True)
    assert "5 line(s)" in done.get_data(as_text=True)
    assert client.get(f"/c/{company.id}/bank/settlements/1/raw").data == raw
    empty = client.post(f"/c/{company.id}/bank/settlements", data={"profile": "zettle"})
    assert "Choose a settlement CSV file." in empty.get_data(as_text=True)


def test_swedish_reader_sees_the_problem_in_swedish(client, auth, session, company):
    make_user(session, "sv@example.com", company, "accountant", locale="sv")
    auth.login("sv@example.com")
    bad = upload(client, company, "statements", b"<Document>", "x.xml", htmx=True)
    text = bad.get_data(as_text=True)
    assert "Avvisad: filen gick inte att läsa" in text
    assert "Filen är inte välformad XML (no element found) på rad 1, kolumn 10." in text


def test_an_admin_describes_a_format_and_imports_with_it(client, auth, session, company):
    make_user(session, "admin@example.com", company, "admin")
    auth.login("admin@example.com")
    url = f"/c/{company.id}/bank/profiles"
    assert client.get(url).status_code == 200
    started = client.get(f"{url}?from=worldline").get_data(as_text=True)
    assert 'value="Trx Date"' in started and "Trx = sale" in started
    form = {
        "name": "bad name",
        "date_format": "dd.mm",
        "col_transaction_date": "",
        "money_gross": "Belopp",
        "header": "on",
    }
    refused = client.post(url, data=form, headers={"HX-Request": "true"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="profile-problems"' in text
    assert "Name the column that holds the transaction date." in text
    form = {
        "name": "kortinlosen",
        "label": "Kortinlösen AB",
        "delimiter": ";",
        "decimal": ",",
        "thousands": " ",
        "encoding": "utf-8",
        "date_format": "%Y-%m-%d",
        "header": "on",
        "skip_lines": "0",
        "currency": "SEK",
        "col_transaction_date": "Datum",
        "col_store": "Terminal",
        "col_payout_reference": "Utbetalning",
        "money_gross": "Brutto",
        "money_fee": "Avgift",
        "money_net": "",
        "money_amount": "",
    }
    saved = client.post(url, data=form)
    assert saved.status_code == 200 and 'id="profile-saved"' in saved.get_data(as_text=True)
    row = session.exec(select(SettlementProfile)).one()
    assert row.definition["money"] == {"gross": ["Brutto"], "fee": ["Avgift"]}
    actions = session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all()
    assert actions[-1] == "bank.profile_saved"
    raw = "Datum;Terminal;Utbetalning;Brutto;Avgift\n2026-11-24;T-12;U-77;1 000,00;12,50\n"
    done = upload(client, company, "settlements", raw.encode(), "k.csv", profile="kortinlosen")
    assert 'data-outcome="created"' in done.get_data(as_text=True)
    shipped = client.post(url, data={**form, "name": "adyen"})
    assert "adyen is a profile Kassabok ships; choose another name." in (
        shipped.get_data(as_text=True)
    )


def test_only_admins_describe_formats(client, auth, session, company):
    make_user(session, "acc@example.com", company, "accountant")
    auth.login("acc@example.com")
    assert client.get(f"/c/{company.id}/bank/profiles").status_code == 403


@pytest.mark.parametrize(
    ("locale", "words"),
    [("en", "Statements and settlements"), ("sv", "Kontoutdrag och avräkningar")],
)
def test_the_page_is_headed_with_the_words_of_its_tab(
    client, auth, session, company, locale, words
):
    make_user(session, "acc@example.com", company, "accountant", locale=locale)
    auth.login("acc@example.com")
    text = client.get(f"/c/{company.id}/bank").get_data(as_text=True)
    assert f'aria-current="page">{words}</a>' in text
    assert f"<h1>{words}</h1>" in text and f"<title>{words} ·" in text
    bank = "Bank"  # the menu's one entry for the Bank's tabs stays marked on this tab too
    assert f'href="/c/{company.id}/clearing" aria-current="page">{bank}</a>' in text
