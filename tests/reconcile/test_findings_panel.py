"""A Swedish reader's panel shows every finding in Swedish; the CSV and the API give English."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from app.audit.service import record
from app.closures.models import Closure
from app.fortnox.errors import Retryable
from app.posting.reasons import Reason, encode, retryable
from app.reconcile.models import ClosureCheck
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month
from tests.reconcile.test_views import DAY, MONTH

HX = {"HX-Request": "true"}
# The findings' English sources: none may reach a Swedish reader's panel.
ENGLISH = re.compile(
    r"Rows differ|is not in Fortnox|carries this key|Booked again|Fortnox holds other"
    r"|not read back|Invoice differs|cannot be built|documents carry"
)
# (store, day) -> what the seeded story's panel says in Swedish.
SWEDISH = {
    ("S01", 3): "Raderna skiljer sig på konto ",
    ("S01", 5): "finns inte i Fortnox.",
    ("S02", 4): "Bokförd igen utanför Kassabok (samma butik, dag och belopp): I ",
    ("S04", 7): "Fortnox har andra belopp på kostnadsställe ",
}


@pytest.fixture
def world(app, session):  # type: ignore[no-untyped-def]
    """The seeded month (mismatch, missing, duplicate, a manual entry) and a Swedish accountant."""
    company = make_company(session)
    seed_month(session, company, 4, MONTH, days=12)
    make_user(session, "sv@x.se", company, "accountant", locale="sv")
    make_user(session, "en@x.se", company, "accountant")
    return company


def _panel(client, company, store: str, day: int) -> str:  # type: ignore[no-untyped-def]
    url = f"/c/{company.id}/dashboard/cell/{store}/{DAY(day)}"
    answer = client.get(url, headers=HX)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def _check(session, store: str, day: int) -> ClosureCheck:  # type: ignore[no-untyped-def]
    closure = session.exec(
        select(Closure).where(
            Closure.store_code == store, Closure.business_date == MONTH.replace(day=day)
        )
    ).one()
    return session.exec(select(ClosureCheck).where(ClosureCheck.closure_pk == closure.id)).one()


def test_the_checks_store_codes_not_words(world, session) -> None:
    assert json.loads(_check(session, "S01", 3).reason)[0]["code"] == "rows_differ"
    assert json.loads(_check(session, "S01", 5).reason)[0]["code"] == "voucher_missing"
    assert json.loads(_check(session, "S02", 4).reason)[0]["code"] == "booked_outside"


@pytest.mark.parametrize(("store", "day"), sorted(SWEDISH))
def test_a_swedish_panel_shows_no_english_finding(world, client, auth, store, day) -> None:
    auth.login("sv@x.se")
    html = _panel(client, world, store, day)
    assert SWEDISH[(store, day)] in html
    assert not ENGLISH.search(html), ENGLISH.search(html)
    assert '"code"' not in html


def test_an_english_panel_reads_the_same_findings_in_english(world, client, auth) -> None:
    auth.login("en@x.se")
    assert "Rows differ on account " in _panel(client, world, "S01", 3)
    assert "Fortnox holds other amounts on cost center " in _panel(client, world, "S04", 7)


def test_a_check_stored_as_english_prose_still_shows(world, session, client, auth) -> None:
    check = _check(session, "S01", 3)
    check.reason = "Rows differ on account 1910, 3001."
    session.add(check)
    other = _check(session, "S01", 5)
    other.reason = "A finding nobody wrote a template for."
    session.add(other)
    session.commit()
    auth.login("sv@x.se")
    assert "Raderna skiljer sig på konto 1910, 3001." in _panel(client, world, "S01", 3)
    assert "A finding nobody wrote a template for." in _panel(client, world, "S01", 5)


def test_the_csv_in_swedish_and_the_api_in_english_to_a_swedish_reader(world, client, auth) -> None:
    auth.login("sv@x.se")
    csv = client.get(f"/c/{world.id}/dashboard/export/exceptions.csv?month={MONTH:%Y-%m}")
    text = csv.get_data(as_text=True)  # a person's spreadsheet: the reader's language (15.11)
    assert "Raderna skiljer sig på konto " in text and "Verifikation A " in text
    assert "Rows differ" not in text and '"code"' not in text
    body = client.get(f"/api/v1/reconciliation?company={world.orgnr}&from={MONTH}&to={DAY(12)}")
    answer = body.get_json()
    reasons = {c["reason"] for c in answer["closures"]}
    assert any(r.startswith("Rows differ on account ") for r in reasons)
    assert not any("Raderna" in r or '"code"' in r for r in reasons)
    days = [d for d in answer["store_days"] if d["reason"]]
    assert days and days[0]["reason"].startswith("Fortnox holds other amounts on cost center")


def test_the_history_names_each_event_and_its_reason_in_swedish(
    world, session, client, auth
) -> None:
    closure_pk = _check(session, "S01", 3).closure_pk
    fault = retryable(Retryable("Bad Gateway", status=502))
    detail = {"attempt": "1", "limit": "6", "delay": "2", "error": fault}
    record(
        session,
        action="closure.retrying",
        company_id=world.id,
        actor="worker",
        target=f"closure:{closure_pk}",
        detail={"reason": encode([Reason("retrying", detail)]), "attempt": 1},
    )
    session.commit()
    auth.login("sv@x.se")
    html = _panel(client, world, "S01", 3)
    history = html[html.index('class="recon-history"') :]
    assert "nytt försök schemalagt · worker — Försök 1 av 6 misslyckades" in history
    assert "Fortnox hade ett tillfälligt fel (HTTP 502). (Bad Gateway)" in history
    assert "closure.retrying" not in history


def test_an_invoices_problems_read_in_swedish_stored_as_codes_or_old_prose(
    world, session, client, auth
) -> None:
    check = _check(session, "S01", 3)
    vat = {"code": "document_vat", "detail": {"actual": "99.00", "expected": "120.00"}}
    doc = {"kind": "invoice", "number": "5", "status": "mismatch"}
    old = "Tip 10.00, expected 0.00"  # written before problems were codes
    documents = [
        {**doc, "reference": "F1", "problems": [vat]},
        {**doc, "reference": "F2", "problems": [old]},
    ]
    check.detail = {**check.detail, "documents": documents}
    session.add(check)
    session.commit()
    auth.login("sv@x.se")
    html = _panel(client, world, "S01", 3)
    html = html.replace("\xa0", " ")  # amounts read as Swedish money (issue 15.10)
    assert "Moms 99,00 kr, förväntat 120,00 kr" in html
    assert "Dricks 10,00 kr, förväntat 0,00 kr" in html
    assert "expected" not in html and '"code"' not in html


def test_a_swedish_reader_reads_the_rows_texts_in_swedish(client, auth, world) -> None:
    """The voucher rows' texts (English, as Fortnox keeps them) read in Swedish on the panel."""
    auth.login("sv@x.se")
    html = _panel(client, world, "S01", 3)
    assert re.search(r">Betalning \w+<|>Försäljning \w+ \d+ %<", html), html
    assert not re.search(r">(Payment|Sales|Output VAT) ", html)
