"""The audit trail in the reader's words: labels for codes, ISO days, an export in the locale."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from app.audit import labels
from app.audit.service import record
from app.posting.reasons import Reason, encode
from tests.factories import make_company, make_store, make_user

HTMX = {"HX-Request": "true"}
CASH = Reason("cash_difference_over_threshold", {"difference": "-340.00", "threshold": "50.00"})
CODES = ["other/CASH_DIFFERENCE", "payment_methods/AMEX", "payment_methods · AMEX", "closure.held"]


@pytest.fixture
def company(session):  # type: ignore[no-untyped-def]
    company = make_company(session)
    store = make_store(session, company)
    anna = make_user(session, "anna@cafe.se", company, "accountant", locale="sv")
    make_user(session, "ann@cafe.se", company, "accountant", stores=[store], locale="en")
    record(
        session,
        action="mapping.saved",
        company_id=company.id,
        user=anna,
        target="mapping v2",
        detail={
            "version": 2,
            "changes": [
                {"key": "other/CASH_DIFFERENCE", "change": "changed", "old": "3990", "new": "3991"},
                {"key": "payment_methods/AMEX", "change": "added", "old": None, "new": "1581"},
            ],
        },
    )
    record(
        session,
        action="settings.changed",
        company_id=company.id,
        user=anna,
        target=company.orgnr,
        detail={"before": {"invoice": False}, "after": {"invoice": True}},
    )
    record(
        session,
        action="closure.held",
        company_id=company.id,
        actor="worker",
        target="closure:7",
        detail={"reason": encode([CASH]), "state": "held"},
    )
    session.commit()
    return company


def _page(client, company, query: str = "") -> str:  # type: ignore[no-untyped-def]
    return client.get(f"/c/{company.id}/audit{query}").get_data(as_text=True).replace("\xa0", " ")


def _read(html: str) -> str:
    """What a person reads: the text, not the tags and their attributes."""
    return re.sub(r"<[^>]+>", " ", html)


def test_a_swedish_reader_reads_labels_not_codes(company, client, auth) -> None:
    auth.login("anna@cafe.se")
    html = _page(client, company)
    assert "Övriga kategorier › Kassadifferens" in html and "Betalsätt › AMEX" in html
    assert "Kassadifferensen −340,00 kr överstiger gränsen på 50,00 kr." in html
    assert "Dagsavslut 7" in html and f'href="/c/{company.id}/closures/7"' in html
    assert "Kassabok (i bakgrunden)" in html and "Kontering version 2" in html
    assert "Skapa fakturor för försäljning på kredit" in html and ">ja<" in html
    for code in CODES:
        assert code not in _read(html), code


def test_an_english_reader_reads_english_labels(company, client, auth) -> None:
    auth.login("ann@cafe.se")
    html = _page(client, company)
    assert "Other categories › Cash difference" in html
    assert "The cash difference -SEK 340.00 is over the threshold of SEK 50.00." in html
    assert "Closure 7" in html and "Mapping version 2" in html
    for code in CODES:
        assert code not in _read(html), code


def test_the_days_are_iso_text_and_a_bad_one_says_what_to_fix(company, client, auth) -> None:
    auth.login("ann@cafe.se")
    html = _page(client, company)
    assert 'type="date"' not in html
    assert 'name="from" inputmode="numeric"' in html and 'placeholder="YYYY-MM-DD"' in html
    answer = _page(client, company, "?from=10/01/2026&to=2026-13-01")
    assert "Write the first day as YYYY-MM-DD, e.g. 2026-11-01." in answer
    assert "Write the last day as YYYY-MM-DD, e.g. 2026-11-30." in answer
    assert 'value="10/01/2026"' in answer and 'aria-invalid="true"' in answer
    fragment = client.get(f"/c/{company.id}/audit?from=1.10.2026", headers=HTMX)
    text = fragment.get_data(as_text=True)
    assert 'id="audit-dates" class="audit-filters__dates" hx-swap-oob="true"' in text
    assert "Write the first day" in text


def test_the_export_reads_as_the_readers_spreadsheet(company, client, auth) -> None:
    auth.login("anna@cafe.se")
    body = client.get(f"/c/{company.id}/audit/export.csv").data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body[3:].decode()), delimiter=";"))
    assert rows[0] == ["#", "När", "Vem", "Vad", "Objekt", "Vad som ändrades"]
    held = rows[1]
    assert held[2:5] == ["Kassabok (i bakgrunden)", "parkerad", "Dagsavslut 7"]
    assert "Kassadifferensen −340,00\xa0kr" in held[5]
    assert any("Övriga kategorier › Kassadifferens: 3990 → 3991" in r[5] for r in rows)
    datetime.strptime(held[1], "%Y-%m-%d %H:%M")
    book = load_workbook(io.BytesIO(client.get(f"/c/{company.id}/audit/export.xlsx").data))
    ws = book.active
    assert ws["B2"].is_date and isinstance(ws["A2"].value, int) and ws["C1"].value == "Vem"


def test_target_and_field_words_in_both_languages(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        with force_locale("sv"):
            assert labels.target(1, "storeday:S01:2026-10-01").text == "Butik S01, 2026-10-01"
            assert (
                labels.field("sales/*:25")
                == "Försäljning: varugrupp × momssats › alla varugrupper, 25 %"
            )
            assert labels.field("cash_threshold").startswith("Gräns för kassadifferens")
            assert labels.value("accountant", "role") == "Redovisningsekonom"
        with force_locale("en"):
            assert labels.target(1, "costcenter:B01").text == "Cost center B01"
            assert labels.field("vat/12") == "Output VAT per rate › 12 %"
            assert labels.target(1, "opn:S12:R1:Z1").text == "opn:S12:R1:Z1"  # a POS id as it is
