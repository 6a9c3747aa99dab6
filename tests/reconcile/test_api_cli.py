"""GET /api/v1/reconciliation (token or signed-in user) and `flask reconcile`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.companies.tokens import create_token
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month

MONTH = date.today().replace(day=1)
LAST = (MONTH + timedelta(days=32)).replace(day=1) - timedelta(days=1)


@pytest.fixture
def world(app, session):  # type: ignore[no-untyped-def]
    company = make_company(session)
    stores = seed_month(session, company, 3, MONTH, days=10)
    make_user(session, "mgr@x.se", company, "store_manager", stores=[stores[0]])
    return company


def _token(app, session, company) -> str:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        made = create_token(session, company=company, name="POS", user=None)
    session.commit()
    return made[1] if isinstance(made, tuple) else made


def test_token_answers_closures_and_store_days(app, session, client, world) -> None:
    token = _token(app, session, world)
    answer = client.get(
        f"/api/v1/reconciliation?from={MONTH}&to={LAST}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert len(body["closures"]) == 30 and len(body["store_days"]) == 30
    mismatch = next(c for c in body["closures"] if c["status"] == "mismatch")
    assert {d["account"] for d in mismatch["differences"]} == {"1910", "3001"}
    assert {"closure_id", "store", "date", "status", "differences"} <= set(mismatch)
    day = body["store_days"][0]
    assert {"store", "date", "status", "pos_total", "fortnox_total"} <= set(day)


def test_bad_token_is_401_and_bad_dates_422(app, session, client, world) -> None:
    bad = client.get("/api/v1/reconciliation", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    token = _token(app, session, world)
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/reconciliation?from=x", headers=auth).status_code == 422
    assert client.get("/api/v1/reconciliation").status_code == 401


def test_signed_in_store_manager_sees_their_stores_only(client, auth, world) -> None:
    auth.login("mgr@x.se")
    body = client.get(
        f"/api/v1/reconciliation?company={world.orgnr}&from={MONTH}&to={LAST}"
    ).get_json()
    assert {c["store"] for c in body["closures"]} == {"S01"}
    assert {d["store"] for d in body["store_days"]} == {"S01"}
    assert client.get("/api/v1/reconciliation?company=000000-0000").status_code == 404


def test_cli_prints_a_summary(runner, world) -> None:
    result = runner.invoke(
        args=["reconcile", "--company", world.orgnr, "--from", str(MONTH), "--to", str(LAST)]
    )
    assert result.exit_code == 0, result.output
    assert "closures:" in result.output and "mismatch 1" in result.output
    assert "not connected" in result.output
    missing = runner.invoke(args=["reconcile", "--company", "nope"])
    assert missing.exit_code != 0
