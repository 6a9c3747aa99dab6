"""An event's details on the audit page: known keys labelled, reasons and words in the reader's."""

from __future__ import annotations

import re

import pytest

from app.audit.details import event_details
from app.audit.service import record
from app.fortnox.errors import Retryable
from app.posting.reasons import Reason, encode, retryable
from tests.factories import make_company, make_user

HELD = encode([Reason("unmapped_payment_method", {"method": "AMEX"})])
RETRY = {"attempt": "2", "limit": "6", "delay": "4"}


@pytest.fixture
def company(session):  # type: ignore[no-untyped-def]
    """A hold, a retry, a superseded invoice and an old English error on the trail."""
    company = make_company(session)
    make_user(session, "sv@cafe.se", company, "auditor", locale="sv")
    make_user(session, "en@cafe.se", company, "auditor")
    fault = retryable(Retryable("Bad Gateway", status=502))
    events = [
        ("closure.held", {"holds": ["unmapped_payment_method"], "reason": HELD}),
        ("closure.retrying", {"reason": encode([Reason("retrying", {**RETRY, "error": fault})])}),
        ("closure.document_booked", {"kind": "invoice", "number": "12", "why": "bookkept"}),
        ("closure.invoice_posted", {"key": "KB:S12-Z1-r1", "number": "12", "adopted": False}),
        ("closure.voucher_posted", {"key": "KB:S12-Z1-r1", "answer": ["A", 7, 2026]}),
        ("closure.failed", {"error": "Fortnox answered 503", "attempt": 6}),
    ]
    for action, detail in events:
        record(session, action=action, company_id=company.id, actor="worker", detail=detail)
    session.commit()
    return company


def _page(client, company) -> str:  # type: ignore[no-untyped-def]
    answer = client.get(f"/c/{company.id}/audit")
    assert answer.status_code == 200
    return re.sub(r"<[^>]+>", "", answer.get_data(as_text=True))


def test_a_swedish_reader_reads_the_details_in_swedish(client, auth, company) -> None:
    auth.login("sv@cafe.se")
    text = _page(client, company)
    assert "Orsak: Betalsättet AMEX har inget konto i konteringen." in text
    assert "Fortnox hade ett tillfälligt fel (HTTP 502). (Bad Gateway)" in text
    assert "Typ: faktura" in text and "Varför: bokförd" in text
    assert "Nyckel: KB:S12-Z1-r1" in text and "Övertaget: nej" in text
    assert "Fortnox svar: A 7 (2026)" in text
    assert "Fel: Fortnox answered 503" in text  # an old free text, kept as it was
    for english in ("holds:", "reason:", "kind:", "why:", "adopted:", "bookkept", '"code"'):
        assert english not in text, english


def test_an_english_reader_reads_them_in_english(client, auth, company) -> None:
    auth.login("en@cafe.se")
    text = _page(client, company)
    assert "Reason: Payment method AMEX has no account in the mapping." in text
    assert "Kind: invoice" in text and "Why: bookkept" in text and "Adopted: no" in text


def test_details_in_a_given_language_for_the_report(app) -> None:
    detail = {"holds": ["x"], "reason": HELD, "state": "held", "store": "S12", "odd_key": "v"}
    detail["answer"] = {"series": "A", "number": 5, "year": 2026}  # a voucher Fortnox made
    with app.test_request_context():
        got = dict(event_details(detail, "sv"))
    assert got == {
        "Orsak": "Betalsättet AMEX har inget konto i konteringen. "
        "Kontera betalsättet AMEX mot ett konto på konteringssidan och försök sedan igen.",
        "Butik": "S12",
        "Fortnox svar": "A 5 (2026)",
        "Odd key": "v",  # a key no area is known to record: its words, not its snake_case
    }
