"""Year and lock decided from Fortnox's registers, before sending and after a refusal; a refusal
Kassabok has no words for is held with Fortnox's own, verbatim, in the reader's language."""

from __future__ import annotations

import json
from datetime import date, timedelta

from flask_babel import force_locale

from app.closures.models import ClosureState
from app.posting.reasons import render
from tests.posting.conftest import fixture
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401
from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401

S = ClosureState
TODAY = date.today()
DAY, LOCKED_TO = (TODAY - timedelta(days=10)).isoformat(), (TODAY - timedelta(days=5)).isoformat()


def _post(app, session, books, receive, z: int, day: str):
    """Receive a closure of day, drain the jobs; the closure as it ended."""
    closure = receive(
        books.company,
        fixture("cash-overage", closure_id=f"reg:S12:R1:Z{z}", z_number=z, business_date=day),
    )
    drain(app, session)
    session.refresh(closure)
    return closure


def _endpoints(books) -> dict:
    return books.sandbox.stats()["endpoints"]


def test_a_day_the_preflight_saw_locked_is_held_without_sending(
    app, session, books, receive
) -> None:
    books.sandbox.locked_period(books.tenant, LOCKED_TO)  # before today: pre-flight stays green
    books.sandbox.reset_stats()
    closure = _post(app, session, books, receive, 1, DAY)
    assert (closure.state, closure.hold_code) == (S.HELD, "locked_period")
    assert json.loads(closure.state_reason)[0]["detail"] == {"date": DAY, "end": LOCKED_TO}
    assert "POST /3/vouchers" not in _endpoints(books)
    with force_locale("sv"):
        said = render(closure.state_reason)[0]
    assert said.message.startswith(f"Bokföringen i Fortnox är låst till och med {LOCKED_TO}")
    assert "Lås upp perioden" in said.fix


def test_a_lock_set_since_the_preflight_is_read_when_fortnox_refuses(
    app, session, books, receive
) -> None:
    assert _post(app, session, books, receive, 1, DAY).state == S.POSTED  # pre-flight: no lock
    books.sandbox.locked_period(books.tenant, LOCKED_TO)
    books.sandbox.reset_stats()
    closure = _post(app, session, books, receive, 2, DAY)
    assert (closure.state, closure.hold_code) == (S.HELD, "locked_period")
    seen = _endpoints(books)
    assert seen["POST /3/vouchers"] == {"400": 1}, "refused once, never sent again"
    assert seen["GET /3/settings/lockedperiod"] == {"200": 1}
    assert not closure.outcome_unknown


def test_a_period_unlocked_since_the_preflight_posts(app, session, books, receive) -> None:
    books.sandbox.locked_period(books.tenant, LOCKED_TO)
    assert _post(app, session, books, receive, 1, DAY).hold_code == "locked_period"
    books.sandbox.locked_period(books.tenant, None)  # the stored pre-flight still says locked
    closure = _post(app, session, books, receive, 2, DAY)
    assert closure.state == S.POSTED, closure.state_reason


def test_a_day_without_a_financial_year_is_held_without_sending(
    app, session, books, receive
) -> None:
    books.sandbox.reset_stats()
    closure = _post(app, session, books, receive, 1, f"{TODAY.year + 3}-03-02")
    assert (closure.state, closure.hold_code) == (S.HELD, "no_financial_year")
    assert "POST /3/vouchers" not in _endpoints(books)


def test_a_refusal_kassabok_has_no_words_for_shows_fortnoxs_own(
    app, session, books, receive
) -> None:
    assert _post(app, session, books, receive, 1, DAY).state == S.POSTED
    # Since the pre-flight ran: account 3001 takes no cost center (a code Fortnox never published)
    books.fortnox("PUT", "accounts/3001", {"Account": {"CostCenterSettings": "NOTALLOWED"}})
    books.sandbox.reset_stats()
    closure = _post(app, session, books, receive, 2, DAY)
    assert (closure.state, closure.hold_code) == (S.HELD, "fortnox_rejected")
    assert _endpoints(books)["POST /3/vouchers"] == {"400": 1}
    words = "Konto 3001 tillåter inte kostnadsställe."
    with force_locale("sv"):
        sv = render(closure.state_reason)[0]
    with force_locale("en"):
        en = render(closure.state_reason)[0]
    assert sv.message.startswith(f"Fortnox avvisade: ”{words}”"), sv.message
    assert en.message.startswith(f"Fortnox refused: “{words}”"), en.message


def test_a_pre_flight_run_after_unlocking_posts_the_held_day_by_itself(
    app, session, books, receive
) -> None:
    from app.fortnox import preflight

    books.sandbox.locked_period(books.tenant, LOCKED_TO)
    held = _post(app, session, books, receive, 1, DAY)
    assert held.hold_code == "locked_period"
    books.sandbox.locked_period(books.tenant, None)  # the accountant unlocks it in Fortnox
    preflight.run_and_store(books.company.id)  # "Run the checks again", or the nightly run
    drain(app, session)
    session.refresh(held)
    assert held.state == S.POSTED, held.state_reason
