"""The real server over HTTP: the OAuth dance, lost responses, slow answers, restarts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from sandbox.testing import SandboxServer
from tests.sandbox.conftest import ALL_SCOPES, CLIENT_ID, REDIRECT, SECRET

TODAY = date.today().isoformat()
VOUCHER = {
    "Voucher": {
        "VoucherSeries": "A",
        "TransactionDate": TODAY,
        "Description": "Z9 [KB:S12-Z9-r1]",
        "VoucherRows": [
            {"Account": 1910, "Debit": 125.0, "CostCenter": "S12"},
            {"Account": 3001, "Credit": 100.0, "CostCenter": "S12"},
            {"Account": 2611, "Credit": 25.0, "CostCenter": "S12"},
        ],
    }
}


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(clients=[(CLIENT_ID, SECRET, REDIRECT)], rate_count=0) as running:
        yield running


@pytest.fixture
def connected(server: SandboxServer) -> tuple[SandboxServer, int, httpx.Client]:
    server.reset()
    tenant = server.create_tenant("Café Centrum AB", "556677-0001")
    tokens = server.issue_tokens(CLIENT_ID, SECRET, tenant, ALL_SCOPES)
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"}
    return server, tenant, httpx.Client(base_url=server.url, headers=headers, timeout=10)


def test_oauth_dance_over_http(server: SandboxServer) -> None:
    server.reset()
    tenant = server.create_tenant("Hamnens Kök AB", "556677-0002")
    tokens = server.issue_tokens(
        CLIENT_ID, SECRET, tenant, "bookkeeping companyinformation", REDIRECT
    )
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 3600
    info = httpx.get(
        f"{server.url}/3/companyinformation",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert info.json()["CompanyInformation"]["CompanyName"] == "Hamnens Kök AB"
    refreshed = httpx.post(
        f"{server.url}/oauth-v1/token",
        auth=(CLIENT_ID, SECRET),
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert refreshed.status_code == 200
    stats = server.stats()["endpoints"]
    assert stats["POST /oauth-v1/token"] == {"200": 2}
    assert stats["GET /oauth-v1/auth"] == {"200": 1} and stats["POST /oauth-v1/auth"] == {"302": 1}


def test_lost_response_commits_then_drops_the_connection(connected) -> None:
    server, _tenant, api = connected
    server.faults(1.0, ["lost_response"], seed=3)
    with pytest.raises(httpx.TransportError):
        api.post("/3/vouchers", json=VOUCHER)
    server.faults(0)
    found = api.get("/3/vouchers", params={"fromdate": TODAY, "todate": TODAY}).json()["Vouchers"]
    assert [v["Description"] for v in found] == ["Z9 [KB:S12-Z9-r1]"]
    assert server.stats()["endpoints"]["POST /3/vouchers"] == {"lost": 1}


def test_lost_response_on_refresh_rotates_the_token_anyway(
    connected, server: SandboxServer
) -> None:
    _server, tenant, _api = connected
    tokens = server.issue_tokens(CLIENT_ID, SECRET, tenant, "bookkeeping")
    server.faults(1.0, ["lost_response"], seed=1)
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    with pytest.raises(httpx.TransportError):
        httpx.post(f"{server.url}/oauth-v1/token", auth=(CLIENT_ID, SECRET), data=form)
    server.faults(0)
    again = httpx.post(f"{server.url}/oauth-v1/token", auth=(CLIENT_ID, SECRET), data=form)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_slow_answers_late_but_normally(connected) -> None:
    server, _tenant, api = connected
    server.faults(1.0, ["slow"], seed=1, slow=0.6)
    started = time.monotonic()
    response = api.get("/3/companyinformation")
    assert response.status_code == 200 and time.monotonic() - started >= 0.6
    server.faults(0)


def test_faults_never_touch_the_control_api(connected) -> None:
    server, tenant, _api = connected
    server.faults(1.0, ["500", "lost_response"], seed=2)
    assert server.create_tenant("Other AB", "556677-0003") > tenant
    assert server.stats()["total"] >= 0
    server.faults(0)


def test_concurrent_posts_get_distinct_numbers(connected) -> None:
    from concurrent.futures import ThreadPoolExecutor

    _server, _tenant, api = connected
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: api.post("/3/vouchers", json=VOUCHER), range(16)))
    assert {a.status_code for a in answers} == {201}
    assert sorted(a.json()["Voucher"]["VoucherNumber"] for a in answers) == list(range(1, 17))


def test_state_survives_a_restart(tmp_path) -> None:
    with SandboxServer(tmp_path, clients=[(CLIENT_ID, SECRET, REDIRECT)]) as first:
        tenant = first.create_tenant("Kvar AB", "556677-0009")
        tokens = first.issue_tokens(CLIENT_ID, SECRET, tenant, "bookkeeping")
        first.locked_period(tenant, "2020-12-31")
    with SandboxServer(tmp_path) as second:
        response = httpx.get(
            f"{second.url}/3/settings/lockedperiod",
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
        assert response.json() == {"LockedPeriod": {"EndDate": "2020-12-31"}}
