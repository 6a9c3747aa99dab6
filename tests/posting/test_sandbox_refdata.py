"""Once reference data is cached a post costs one Fortnox request; a stale cache is refetched."""

from __future__ import annotations

import json

import pytest
import redis

from app.closures.models import ClosureState
from app.fortnox import api, years
from app.queue import get_redis
from app.reconcile.models import ClosureCheck
from tests.posting.conftest import fixture
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401
from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401

S = ClosureState
POST_ONLY = {"POST /3/vouchers": {"201": 1}}


def _post(app, session, books, receive, name: str, **changes):
    """Receive one closure, drain the jobs; the closure as posted."""
    closure = receive(books.company, fixture(name, **changes))
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED, closure.state_reason
    return closure


def _year_ids(books) -> dict[str, int]:
    """The tenant's financial year ids by FromDate."""
    found = books.fortnox("GET", "financialyears")["FinancialYears"]
    return {y["FromDate"]: int(y["Id"]) for y in found}


def _cache(app, session, books, spans: list) -> None:
    """Put spans in the company's financial-year cache, as an earlier job would have."""
    with app.app_context(), api.client_for(session, books.company.id) as client:
        get_redis().set(years.key_for(client), json.dumps(spans))


def test_a_post_costs_one_request_and_is_checked_without_a_read_back(
    app, session, books, receive
) -> None:
    _post(app, session, books, receive, "cafe-full-day")
    books.sandbox.reset_stats()
    second = _post(app, session, books, receive, "cash-overage", business_date="2026-03-02")
    assert books.sandbox.stats()["endpoints"] == POST_ONLY
    check = session.query(ClosureCheck).filter_by(closure_pk=second.id).one()
    assert check.status == "matched", check.reason  # checked from Fortnox's answer to the POST


def test_a_date_outside_every_cached_year_refetches_the_years(app, session, books, receive) -> None:
    _post(app, session, books, receive, "cafe-full-day")
    year = {"FinancialYear": {"FromDate": "2027-01-01", "ToDate": "2027-12-31"}}
    made = books.fortnox("POST", "financialyears", year)["FinancialYear"]
    books.sandbox.reset_stats()
    closure = _post(app, session, books, receive, "cash-overage", business_date="2027-01-04")
    assert closure.voucher_year == int(made["Id"])
    assert books.sandbox.stats()["endpoints"] == {
        "GET /3/financialyears": {"200": 1},
        **POST_ONLY,
    }


def test_flushall_only_costs_one_refetch(app, session, books, receive) -> None:
    _post(app, session, books, receive, "cafe-full-day")
    redis.Redis.from_url(app.config["REDIS_URL"]).flushall()
    books.sandbox.reset_stats()
    _post(app, session, books, receive, "cash-overage", business_date="2026-03-02")
    assert books.sandbox.stats()["endpoints"] == {"GET /3/financialyears": {"200": 1}, **POST_ONLY}


@pytest.mark.parametrize("cached", ["unknown", "another"], ids=["unknown-id", "other-year"])
def test_a_year_fortnox_refuses_is_refetched_never_posted_into(
    app, session, books, receive, cached: str
) -> None:
    _post(app, session, books, receive, "cafe-full-day")  # pre-flight run and cached
    ids = _year_ids(books)
    this, last = ids["2026-01-01"], ids["2025-01-01"]
    wrong = 999 if cached == "unknown" else last  # the cache claims 2026's days for it
    _cache(app, session, books, [["2026-01-01", "2026-12-31", wrong]])
    books.sandbox.reset_stats()
    closure = _post(app, session, books, receive, "cash-overage", business_date="2026-03-02")
    assert closure.voucher_year == this
    stats = books.sandbox.stats()["endpoints"]
    assert stats["GET /3/financialyears"] == {"200": 1}
    assert stats["POST /3/vouchers"]["201"] == 1
    assert sum(stats["POST /3/vouchers"].values()) == 2  # the refused one, then the right one
    voucher = books.fortnox("GET", f"vouchers/A/{closure.voucher_number}", financialyear=this)
    assert voucher["Voucher"]["TransactionDate"] == "2026-03-02"
