"""The post job checks pre-flight first: a red line for the closure holds it, briefly cached."""

from __future__ import annotations

from app.closures.models import ClosureState
from app.fortnox import preflight
from app.posting.reasons import english
from tests.posting.conftest import fixture
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401
from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401

S = ClosureState


def _at(name: str, store: str) -> dict:
    """A closure fixture moved to another store (its closure_id too)."""
    payload = fixture(name, store_id=store)
    payload["closure_id"] = payload["closure_id"].replace(":S12:", f":{store}:")
    return payload


def _inactive(books, code: str, active: bool = False) -> None:
    books.fortnox("PUT", f"costcenters/{code}", {"CostCenter": {"Active": active}})


def test_a_red_line_for_the_store_holds_with_its_reason_and_posts_nothing(
    app, session, books, receive
) -> None:
    _inactive(books, "S14")
    books.sandbox.reset_stats()
    first = receive(books.company, _at("cafe-full-day", "S14"))
    second = receive(books.company, _at("cash-overage", "S14"))
    drain(app, session)
    for closure in (first, second):
        session.refresh(closure)
        assert (closure.state, closure.hold_code) == (S.HELD, "preflight_failed")
        assert "Cost center S14 of store S14" in english(closure.state_reason)
        assert "inactive" in english(closure.state_reason)
    stats = books.sandbox.stats()["endpoints"]
    assert "POST /3/vouchers" not in stats
    assert stats["GET /3/companyinformation"] == {"200": 1}  # one run for both closures


def test_another_stores_red_line_does_not_stop_this_one(app, session, books, receive) -> None:
    _inactive(books, "S14")
    closure = receive(books.company, fixture("cafe-full-day"))  # store S12
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED, closure.state_reason


def test_green_again_posts_the_held_closures(app, session, books, receive) -> None:
    _inactive(books, "S14")
    closure = receive(books.company, _at("cafe-full-day", "S14"))
    drain(app, session)
    session.refresh(closure)
    assert closure.hold_code == "preflight_failed"
    _inactive(books, "S14", active=True)
    with app.app_context():
        assert all(c.ok for c in preflight.run_and_store(books.company.id))
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED, closure.state_reason


def test_fresh_green_results_cost_no_request(app, session, books, receive) -> None:
    receive(books.company, fixture("cafe-full-day"))
    drain(app, session)
    books.sandbox.reset_stats()
    closure = receive(books.company, _at("cafe-full-day", "S14"))
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED
    assert set(books.sandbox.stats()["endpoints"]) == {"POST /3/vouchers"}


def test_stale_red_results_are_run_again(app, session, books, receive) -> None:
    _inactive(books, "S14")
    app.config["PREFLIGHT_RED_SECONDS"] = 0.001
    closure = receive(books.company, _at("cafe-full-day", "S14"))
    drain(app, session)
    _inactive(books, "S14", active=True)  # fixed in Fortnox; nobody re-ran the checks
    from app.posting import service

    service.retry(session, closure_pk=closure.id, user=None)
    session.commit()
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED, closure.state_reason
