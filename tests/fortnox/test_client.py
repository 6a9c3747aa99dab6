"""The client against the sandbox: safe retries only, typed errors, one shared rate budget."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlmodel import Session

from app.db import make_engine
from app.fortnox import api
from app.fortnox.errors import NeedsAction, Retryable
from tests.sandbox_fixtures import FortnoxCompany

TODAY = date.today().isoformat()


def voucher(key: str, account: int = 1910, amount: str = "100.00") -> dict:
    """A balanced voucher in series A carrying key."""
    return {
        "Voucher": {
            "Description": f"Z1 S12 {TODAY} [{key}]",
            "TransactionDate": TODAY,
            "VoucherSeries": "A",
            "VoucherRows": [
                {"Account": account, "CostCenter": "S12", "Debit": Decimal(amount), "Credit": 0},
                {"Account": 3001, "CostCenter": "S12", "Debit": 0, "Credit": Decimal(amount)},
            ],
        }
    }


def count(stats: dict, endpoint: str, status: str | None = None) -> int:
    """Requests to endpoint (with status) the sandbox saw."""
    seen = stats["endpoints"].get(endpoint, {})
    return sum(n for s, n in seen.items() if status is None or s == status)


def all_429s(stats: dict) -> int:
    """Every 429 the sandbox answered."""
    return sum(seen.get("429", 0) for seen in stats["endpoints"].values())


@pytest.fixture
def client(app: Flask, session: Session, fortnox_company: FortnoxCompany):
    """A Fortnox client for the connected company, inside an app context."""
    with app.app_context():
        c = api.client_for(session, fortnox_company.company.id)
        yield c
        c.close()


def test_voucher_created_and_read_back(fortnox_company, client) -> None:
    year = api.financial_year_id(client, TODAY)
    ref = api.create_voucher(client, voucher("KB:ok-1", amount="1820.55"), year)
    assert ref.series == "A" and ref.number >= 1 and ref.year == year
    got = api.get_voucher(client, ref.series, ref.number, year)
    debit = sum(Decimal(str(r["Debit"])) for r in got["VoucherRows"])
    assert debit == Decimal("1820.55")
    listed = api.list_vouchers(client, series="A", from_date=TODAY, to_date=TODAY, year_id=year)
    assert [v["VoucherNumber"] for v in listed if "KB:ok-1" in v["Description"]] == [ref.number]


def test_lost_response_on_post_is_not_retried(fortnox_company, client) -> None:
    sandbox = fortnox_company.sandbox
    year = api.financial_year_id(client, TODAY)
    sandbox.reset_stats()
    sandbox.faults(1.0, ["lost_response"], seed=3)
    with pytest.raises(Retryable) as caught:
        api.create_voucher(client, voucher("KB:lost-1"), year)
    assert caught.value.outcome_unknown is True
    sandbox.faults(0)
    assert count(sandbox.stats(), "POST /3/vouchers") == 1, "sent once, never again"
    found = api.list_vouchers(client, series="A", from_date=TODAY, to_date=TODAY, year_id=year)
    assert len([v for v in found if "[KB:lost-1]" in v["Description"]]) == 1, "it was booked"


@pytest.mark.parametrize("kind", ["500", "503"])
def test_server_error_on_post_is_outcome_unknown(fortnox_company, client, kind) -> None:
    sandbox = fortnox_company.sandbox
    year = api.financial_year_id(client, TODAY)
    sandbox.reset_stats()
    sandbox.faults(1.0, [kind], seed=1)
    with pytest.raises(Retryable) as caught:
        api.create_voucher(client, voucher("KB:5xx"), year)
    sandbox.faults(0)
    assert caught.value.outcome_unknown is True and caught.value.status == int(kind)
    assert count(sandbox.stats(), "POST /3/vouchers") == 1


def test_timeout_on_post_is_outcome_unknown(app: Flask, fortnox_company, client) -> None:
    year = api.financial_year_id(client, TODAY)
    client._http.timeout = __import__("httpx").Timeout(0.5)
    fortnox_company.sandbox.faults(1.0, ["slow"], seed=1, slow=1.5)
    try:
        with pytest.raises(Retryable) as caught:
            api.create_voucher(client, voucher("KB:slow"), year)
    finally:
        fortnox_company.sandbox.faults(0)
    assert caught.value.outcome_unknown is True


def test_gets_are_retried_through_faults(fortnox_company, client) -> None:
    sandbox = fortnox_company.sandbox
    sandbox.reset_stats()
    sandbox.faults(0.3, ["500", "503", "lost_response", "429"], seed=7)
    try:
        for _ in range(6):
            assert api.company_information(client)["CompanyName"] == "Café Centrum AB"
    finally:
        sandbox.faults(0)
    stats = sandbox.stats()
    assert count(stats, "GET /3/companyinformation") > 6, "some attempts failed and were retried"


def test_429_on_post_is_sent_again(fortnox_company, client) -> None:
    sandbox = fortnox_company.sandbox
    year = api.financial_year_id(client, TODAY)
    sandbox.reset_stats()
    sandbox.faults(0.6, ["429"], seed=2)
    try:
        ref = api.create_voucher(client, voucher("KB:429"), year)
    finally:
        sandbox.faults(0)
    stats = sandbox.stats()
    assert count(stats, "POST /3/vouchers", "201") == 1 and ref.number >= 1
    found = api.list_vouchers(client, series="A", from_date=TODAY, to_date=TODAY, year_id=year)
    assert len([v for v in found if "[KB:429]" in v["Description"]]) == 1


def test_refusals_are_needs_action_with_the_fix(app: Flask, fortnox_company, client) -> None:
    year = api.financial_year_id(client, TODAY)
    fortnox_company.fortnox("PUT", "accounts/1910", {"Account": {"Active": False}})
    with pytest.raises(NeedsAction) as caught:
        api.create_voucher(client, voucher("KB:inactive"), year)
    assert caught.value.code == 2000947 and caught.value.status == 400
    with app.test_request_context(), force_locale("en"):
        assert "not active" in caught.value.human() and "Activate" in caught.value.human()
    fortnox_company.sandbox.locked_period(fortnox_company.tenant, TODAY)
    with pytest.raises(NeedsAction) as caught:
        api.create_voucher(client, voucher("KB:locked", account=1930), year)
    assert caught.value.code == 2000401
    assert api.get_voucher_series(client, "Q", year) is None, "404 becomes None"


def test_fifty_parallel_calls_never_hit_429(app: Flask, fortnox_company) -> None:
    sandbox = fortnox_company.sandbox
    sandbox.reset_stats()
    errors: list[BaseException] = []
    company_id = fortnox_company.company.id

    def call() -> None:
        try:
            engine = make_engine(app.config["DATABASE_URL"])
            with app.app_context(), Session(engine) as s, api.client_for(s, company_id) as c:
                api.financial_year_id(c, TODAY)
        except BaseException as err:  # collected and asserted below
            errors.append(err)

    started = time.monotonic()
    threads = [threading.Thread(target=call) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    stats = sandbox.stats()
    assert errors == []
    assert count(stats, "GET /3/financialyears", "200") == 50
    assert all_429s(stats) == 0
    assert elapsed >= 5.0, "50 calls at 25 per 5 s need at least one full window"
