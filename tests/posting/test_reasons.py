"""Reasons are stored as codes and details and read in the reader's language, old prose too."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from sqlmodel import select

from app.closures.models import ClosureState
from app.fortnox.checks import Check
from app.fortnox.errors import NeedsAction, Retryable
from app.posting import checks, reasons, undo
from app.posting.reasons import Reason, decode, encode, english, render, text
from app.posting.texts import TEXTS
from tests.posting.conftest import connect, fixture

S = ClosureState
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _sample(code: str) -> dict[str, str]:
    """A detail for every placeholder of code's texts, each value easy to find again."""
    names = {n for text in TEXTS[code] for n in PLACEHOLDER.findall(text)}
    return {n: f"X{n.upper()}9" for n in names}


@pytest.mark.parametrize("code", sorted(c for c in TEXTS if c != "fortnox_rejected"))
def test_every_reason_reads_in_swedish_with_its_details(app, code) -> None:
    detail = _sample(code)
    stored = encode([Reason(code, detail)])
    with force_locale("sv"):
        said = render(stored)[0]
    message, fix = TEXTS[code]
    assert said.message != message.format(**detail), "no Swedish for the message"
    if fix:
        assert said.fix and said.fix != fix.format(**detail), "no Swedish for the fix"
    for value in detail.values():
        assert value in f"{said.message} {said.fix}", value


def test_a_held_closure_stores_codes_and_reads_in_either_language(session, books, receive) -> None:
    closure = receive(books, fixture("amex-custom-method"))
    assert closure.state == S.HELD
    stored = json.loads(closure.state_reason)
    assert stored == [{"code": "unmapped_payment_method", "detail": {"method": "AMEX"}}]
    with force_locale("sv"):
        sv = render(closure.state_reason)[0]
    assert sv.message == "Betalsättet AMEX har inget konto i konteringen."
    assert "Kontera betalsättet AMEX" in sv.fix
    with force_locale("en"):
        assert "Payment method AMEX has no account" in reasons.text(closure.state_reason)


def test_old_english_prose_is_read_as_codes_without_a_migration(app) -> None:
    old = (
        "Payment method AMEX has no account in the mapping. Map payment method AMEX to an "
        "account on the mapping page, then retry.\n"
        "Fortnox connection lost — reconnect. An admin reconnects the company to Fortnox; "
        "held closures then post by themselves.\n"
        "Attempt 2 of 6 failed; retrying in 4 s: ConnectionError: boom\n"
        "Something nobody wrote a template for."
    )
    got = decode(old)
    assert [r.code for r in got] == ["unmapped_payment_method", "auth_lost", "retrying", ""]
    assert got[0].detail == {"method": "AMEX"} and got[2].detail["error"] == "ConnectionError: boom"
    with force_locale("sv"):
        lines = [str(s) for s in render(old)]
    assert lines[0].startswith("Betalsättet AMEX har inget konto i konteringen.")
    assert lines[1].startswith("Fortnox-anslutningen bruten")
    assert lines[2].startswith("Försök 2 av 6 misslyckades")
    assert lines[3] == "Something nobody wrote a template for."  # kept as it was, never lost
    swept = "The worker stopped mid-post; Fortnox is searched before posting again."
    assert [r.code for r in decode(swept)] == ["recovered"]  # worker/sweeper.py writes it so
    with force_locale("sv"):
        assert render(swept)[0].message.startswith("Arbetaren stannade mitt i bokföringen")


def test_a_superseded_bookkept_invoice_says_which_and_what_to_do(app) -> None:
    old = SimpleNamespace(revision=1)
    doc = SimpleNamespace(kind="invoice", number="12", error="bookkept")
    order = SimpleNamespace(kind="order", number="7", error="invoiced as invoice 31")
    hold = undo.stuck_hold(old, [doc, order])  # type: ignore[arg-type]
    stored, code = checks.summary([hold])
    assert code == "correction_due"
    with force_locale("sv"):
        said = render(stored)[0]
    assert said.message == (
        "Revision 1 skapade dokument som Fortnox inte kan makulera: "
        "faktura 12 (bokförd), order 7 (fakturerad som faktura 31)."
    )
    assert said.fix.startswith("Kreditera dem för hand i Fortnox")
    assert "invoice 12 (bookkept)" in english(stored)
    old_prose = (
        "Revision 1 made documents Fortnox cannot cancel: invoice 12 (bookkept). "
        "Credit them in Fortnox by hand, then click Correct: this revision then posts."
    )
    with force_locale("sv"):  # stored before reasons were codes: read the same way
        assert render(old_prose)[0].message == (
            "Revision 1 skapade dokument som Fortnox inte kan makulera: faktura 12 (bokförd)."
        )


def test_preflight_and_fortnox_refusals_are_explained_when_read(app) -> None:
    red = Check("cost_center:S14", False, "cost_center", {"store": "S14", "code": "S14"})
    refused = NeedsAction("Period is locked", status=400, code=2000401)
    stored = encode(
        [
            checks.hold("preflight_failed", lines=[red.to_dict()]).reason(),
            checks.hold("fortnox_rejected", message=reasons.refusal(refused)).reason(),
        ]
    )
    with force_locale("sv"):
        sv = render(stored)
        title = red.title
    assert title in sv[0].message and sv[0].message.startswith("Förkontrollen är röd")
    assert "Period is locked" in sv[1].message and sv[1].message != english(stored).splitlines()[1]
    assert "Cost center S14 of store S14" in english(stored)


def test_a_long_detail_is_cut_to_fit_the_column_and_still_reads(app) -> None:
    long = Reason("correction_failed", {"message": "x" * 5000})
    stored = encode([long])
    assert len(stored) <= reasons.LIMIT and long.detail["message"] == "x" * 5000  # not cut
    assert render(stored)[0].message.endswith("…")


def test_the_api_and_a_swedish_page_read_the_same_hold(
    app, session, books, receive, client, auth
) -> None:
    from tests.factories import make_user

    connect(session, books, status="lost")
    closure = receive(books, fixture("cafe-full-day"))
    api = reasons.english(closure.state_reason)
    assert api.startswith("Fortnox connection lost — reconnect.")
    make_user(session, "sv@example.com", books, "accountant", locale="sv")
    auth.login("sv@example.com")
    html = client.get(f"/c/{books.id}/closures/{closure.id}").get_data(as_text=True)
    assert "Fortnox-anslutningen bruten — anslut igen." in html
    assert f'href="/c/{books.id}/fortnox/"' in html and "Anslut Fortnox igen" in html
    assert "Fortnox connection lost" not in html and '"code":"auth_lost"' not in html


def test_a_passing_fortnox_fault_is_kept_as_data_and_explained_when_read(app) -> None:
    err = Retryable("Service Unavailable", status=503, outcome_unknown=True)
    detail = {"attempt": "2", "limit": "6", "delay": "4", "error": reasons.retryable(err)}
    stored = encode([Reason("retrying", detail)])
    kept = json.loads(stored)[0]["detail"]["error"]
    assert kept == {"retry": "Service Unavailable", "status": 503, "code": None, "unknown": True}
    with force_locale("sv"):
        sv = render(stored)[0].message
    assert sv.startswith(
        "Försök 2 av 6 misslyckades; nytt försök om 4 s: "
        "Fortnox hade ett tillfälligt fel (HTTP 503). (Service Unavailable)"
    )
    assert sv.endswith("Fortnox kan redan ha gjort det: det kontrolleras före nästa försök.")
    assert "Fortnox had a passing fault (HTTP 503). (Service Unavailable)" in english(stored)
    rate = reasons.retryable(Retryable("Fortnox rate limit", status=429))
    limited = encode([Reason("retries_exhausted", {"attempts": "6", "error": rate})])
    with force_locale("sv"):
        assert "Fortnox gräns för antal anrop nåddes. (Fortnox rate limit)" in text(limited)
    odd = encode([Reason("retrying", {**detail, "error": reasons.retryable(KeyError("x"))})])
    assert english(odd).endswith(": KeyError: 'x'")  # unforeseen: its own words, as evidence


def test_the_engine_stores_a_retry_as_data_and_audits_its_reason(
    app, session, books, receive, monkeypatch
) -> None:
    from app.audit.models import AuditEvent
    from app.posting import engine

    connect(session, books)
    closure = receive(books, fixture("cafe-full-day"))
    assert closure.state == S.QUEUED

    def fault(*_args: object) -> str:
        raise Retryable("Bad Gateway", status=502)

    monkeypatch.setattr(engine, "_post", fault)
    assert engine.post_closure(session, closure.id) == "retrying"
    session.refresh(closure)
    stored = json.loads(closure.state_reason)[0]
    assert stored["code"] == "retrying" and stored["detail"]["error"]["status"] == 502
    with force_locale("sv"):
        assert "Fortnox hade ett tillfälligt fel (HTTP 502). (Bad Gateway)" in text(
            closure.state_reason
        )
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "closure.retrying")).one()
    assert event.detail["reason"] == closure.state_reason and "error" not in event.detail


def test_a_retry_stored_as_english_before_errors_were_data_reads_in_swedish(app) -> None:
    old = (
        "Attempt 2 of 6 failed; retrying in 4 s: Service Unavailable (code 7) [HTTP 503]\n"
        "Posting failed after 6 attempts: POST /3/vouchers: no answer from Fortnox (ReadTimeout)\n"
        "Attempt 3 of 6 failed; retrying in 8 s: ValueError: boom"
    )
    with force_locale("sv"):
        sv = [s.message for s in render(old)]
    assert sv[0] == (
        "Försök 2 av 6 misslyckades; nytt försök om 4 s: "
        "Fortnox hade ett tillfälligt fel (HTTP 503). (Service Unavailable)"
    )
    assert sv[1].startswith("Bokföringen misslyckades efter 6 försök: Fortnox gick inte att nå")
    assert sv[1].endswith("det kontrolleras före nästa försök.")
    assert sv[2].endswith(": ValueError: boom")  # not Fortnox's: kept as it was


def test_a_store_manager_is_told_who_fixes_what_they_may_not(
    app, session, books, receive, client, auth
) -> None:
    """No link to a page the role may not open: the manager reads who can fix it instead."""
    from app.companies.models import Store
    from tests.factories import make_user

    connect(session, books, status="lost")
    closure = receive(books, fixture("cafe-full-day"))
    store = session.get(Store, closure.store_pk)
    make_user(session, "mgr@example.com", books, "store_manager", stores=[store], locale="sv")
    auth.login("mgr@example.com")
    html = client.get(f"/c/{books.id}/closures/{closure.id}").get_data(as_text=True)
    assert "Fortnox-anslutningen bruten — anslut igen." in html
    assert f'href="/c/{books.id}/fortnox/"' not in html and "Anslut Fortnox igen" not in html
    assert "Be en ekonom eller administratör i företaget att åtgärda det." in html
