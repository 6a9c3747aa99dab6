"""Control API, rate limit, faults, SIE import, stats and the read-only web views."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sandbox.app import create_app
from sandbox.faults import LostResponse
from tests.sandbox.conftest import CLIENT_ID, REDIRECT, SECRET, TODAY, Fortnox, error_of, voucher

DAY = TODAY.replace("-", "")
SIE = f"""#FLAGGA 0
#PROGRAM "Kassa POS" 4.2
#FORMAT PC8
#GEN {DAY}
#SIETYP 4
#ORGNR 556677-0001
#DIM 1 "Kostnadsställe"
#VER A "" {DAY} "Dagskassa S12 {TODAY}"
{{
   #TRANS 1910 {{1 "S12"}} 1250.00
   #TRANS 3001 {{1 "S12"}} -1000.00
   #TRANS 2611 {{1 "S12"}} -250.00
}}
#VER A "" {DAY} "Café kortsumma"
{{
   #TRANS 1580 {{}} 80.00
   #TRANS 3002 {{}} -71.43 {DAY} "Mat"
   #TRANS 2621 {{}} -8.57
}}
"""


def test_seeded_tenant_has_real_books(fortnox: Fortnox) -> None:
    series = {
        s["Code"]: s["Manual"]
        for s in fortnox.get("/3/voucherseries").json["VoucherSeriesCollection"]
    }
    assert series == {"A": True, "B": False, "C": False, "D": False, "E": False}
    accounts = {a["Number"]: a for a in fortnox.get("/3/accounts?limit=500").json["Accounts"]}
    for number in (
        1910,
        1580,
        1930,
        2420,
        1510,
        3001,
        3002,
        3003,
        3004,
        2611,
        2621,
        2631,
        2890,
        3740,
        3990,
    ):
        assert accounts[number]["Active"] and accounts[number]["CostCenterSettings"] == "ALLOWED"
    years = fortnox.get("/3/financialyears").json["FinancialYears"]
    assert [y["FromDate"][:4] for y in years] == [
        str(date.today().year - 1),
        str(date.today().year),
    ]
    centers = fortnox.get("/3/costcenters").json["CostCenters"]
    assert {"S12", "S09"} <= {c["Code"] for c in centers} and any(not c["Active"] for c in centers)
    assert len(fortnox.get("/3/customers").json["Customers"]) == 3


def test_sie_import_books_every_ver_and_twice_means_duplicates(fortnox: Fortnox) -> None:
    url = f"/_sandbox/tenants/{fortnox.tenant}/sie?series=A"
    first = fortnox.client.post(url, data=SIE.encode("cp437"))
    assert first.status_code == 201 and first.json["imported"] == 2
    again = fortnox.client.post(url, data=SIE.encode("cp437"))
    assert [v["VoucherNumber"] for v in again.json["vouchers"]] == [3, 4]
    listed = fortnox.get(f"/3/vouchers/sublist/A?fromdate={TODAY}&todate={TODAY}").json["Vouchers"]
    assert [v["Description"] for v in listed].count(f"Dagskassa S12 {TODAY}") == 2
    rows = fortnox.get("/3/vouchers/A/1").json["Voucher"]["VoucherRows"]
    assert [(r["Account"], r["CostCenter"], r["Debit"], r["Credit"]) for r in rows] == [
        (1910, "S12", 1250, 0),
        (3001, "S12", 0, 1000),
        (2611, "S12", 0, 250),
    ]
    assert (
        fortnox.get("/3/vouchers/A/2").json["Voucher"]["VoucherRows"][1]["TransactionInformation"]
        == "Mat"
    )


def test_sie_import_is_all_or_nothing(fortnox: Fortnox) -> None:
    broken = SIE.replace("-8.57", "-8.00")
    response = fortnox.client.post(
        f"/_sandbox/tenants/{fortnox.tenant}/sie", data=broken.encode("cp437")
    )
    assert response.status_code == 400 and error_of(response)["code"] == 2009101
    assert fortnox.get("/3/vouchers").json["Vouchers"] == []


def test_rate_limit_per_client_and_tenant(tmp_path: Path) -> None:
    """A new or refreshed token does not reset the window; another company has its own."""
    app = create_app(
        tmp_path, rate_count=5, rate_window=60, clients=[(CLIENT_ID, SECRET, REDIRECT)]
    )
    fx = Fortnox(app.test_client())
    tenant = fx.create_tenant()
    first = fx.connect(tenant)
    answers = [fx.get("/3/companyinformation").status_code for _ in range(7)]
    assert answers == [200] * 5 + [429] * 2
    limited = fx.get("/3/companyinformation")
    assert int(limited.headers["Retry-After"]) >= 1 and "ErrorInformation" in limited.json
    refreshed = fx.token_request(grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert refreshed.status_code == 200
    fresh = refreshed.json["access_token"]
    assert fx.get("/3/companyinformation", token=fresh).status_code == 429
    second = fx.connect(tenant)["access_token"]
    assert second != first["access_token"]
    assert fx.get("/3/companyinformation").status_code == 429
    fx.connect(fx.create_tenant("Hamnens Kök AB", "556677-0002"))
    assert fx.get("/3/companyinformation").status_code == 200


def test_rate_window_slides(tmp_path: Path) -> None:
    import time

    app = create_app(
        tmp_path, rate_count=2, rate_window=0.3, clients=[(CLIENT_ID, SECRET, REDIRECT)]
    )
    fx = Fortnox(app.test_client())
    fx.connect(fx.create_tenant())
    assert [fx.get("/3/companyinformation").status_code for _ in range(3)] == [200, 200, 429]
    time.sleep(0.35)
    assert fx.get("/3/companyinformation").status_code == 200


@pytest.mark.parametrize(("kind", "status"), [("429", 429), ("500", 500), ("503", 503)])
def test_error_faults_answer_fortnox_errors(fortnox: Fortnox, kind: str, status: int) -> None:
    fortnox.client.post("/_sandbox/faults", json={"rate": 1, "kinds": [kind], "seed": 1})
    response = fortnox.post("/3/vouchers", voucher((1910, "10", "0", ""), (3001, "0", "10", "")))
    assert response.status_code == status and "ErrorInformation" in response.json
    fortnox.client.post("/_sandbox/faults", json={"rate": 0})
    assert fortnox.get("/3/vouchers").json["Vouchers"] == []  # nothing was booked


def test_lost_response_without_a_socket_raises_after_commit(fortnox: Fortnox) -> None:
    fortnox.client.post("/_sandbox/faults", json={"rate": 1, "kinds": ["lost_response"], "seed": 1})
    with pytest.raises(LostResponse):
        fortnox.post("/3/vouchers", voucher((1910, "10", "0", ""), (3001, "0", "10", "")))
    fortnox.client.post("/_sandbox/faults", json={"rate": 0})
    assert len(fortnox.get("/3/vouchers").json["Vouchers"]) == 1


def test_faults_are_deterministic_given_the_seed(fortnox: Fortnox) -> None:
    def run() -> list[int]:
        fortnox.client.post(
            "/_sandbox/faults", json={"rate": 0.5, "kinds": ["500", "503"], "seed": 7}
        )
        return [fortnox.get("/3/companyinformation").status_code for _ in range(12)]

    first = run()  # 24 calls stay under the 25-per-5-seconds limit
    assert first == run() and {200, 500, 503} <= set(first)


def test_faults_reject_unknown_kinds(fortnox: Fortnox) -> None:
    response = fortnox.client.post("/_sandbox/faults", json={"rate": 0.5, "kinds": ["teapot"]})
    assert response.status_code == 400 and "kinds" in response.json["error"]


def test_faults_hit_the_token_endpoint(fortnox: Fortnox) -> None:
    fortnox.client.post("/_sandbox/faults", json={"rate": 1, "kinds": ["503"], "seed": 1})
    assert fortnox.token_request(grant_type="refresh_token", refresh_token="x").status_code == 503


def test_stats_count_per_endpoint_and_status(fortnox: Fortnox) -> None:
    fortnox.client.delete("/_sandbox/stats")
    fortnox.post("/3/vouchers", voucher((1910, "10", "0", ""), (3001, "0", "10", "")))
    fortnox.post("/3/vouchers", voucher((1910, "10", "0", ""), (3001, "0", "9", "")))
    fortnox.get("/3/vouchers/A/1")
    stats = fortnox.client.get("/_sandbox/stats").json
    assert stats == {
        "total": 3,
        "endpoints": {
            "POST /3/vouchers": {"201": 1, "400": 1},
            "GET /3/vouchers/{series}/{number}": {"200": 1},
        },
    }


def test_reset_forgets_everything_but_clients(fortnox: Fortnox) -> None:
    assert fortnox.client.post("/_sandbox/reset").json == {"reset": True}
    assert fortnox.get("/3/companyinformation").status_code == 401
    assert fortnox.client.get("/_sandbox/tenants").json == {"tenants": []}
    assert fortnox.create_tenant() == 1 and fortnox.connect(1)["token_type"] == "bearer"


def test_control_clients_and_bad_input(fortnox: Fortnox) -> None:
    added = fortnox.client.post(
        "/_sandbox/clients",
        json={"client_id": "other", "client_secret": "x", "redirect_uri": "http://o/cb"},
    )
    assert added.status_code == 201
    assert fortnox.client.post("/_sandbox/tenants", json={"orgnr": "1"}).status_code == 400
    assert fortnox.client.post("/_sandbox/tenants/99/expire-tokens").status_code == 404


def test_web_views_show_the_books(fortnox: Fortnox) -> None:
    fortnox.post(
        "/3/vouchers", voucher((1910, "1820.00", "0", "S12"), (3002, "0", "1820.00", "S12"))
    )
    fortnox.post(
        "/3/invoices",
        {
            "Invoice": {
                "CustomerNumber": "1001",
                "ExternalInvoiceReference1": "KB-X",
                "InvoiceRows": [{"Price": 99.99, "VAT": 25}],
            }
        },
    )
    fortnox.post("/3/orders", {"Order": {"CustomerNumber": "1001", "OrderRows": [{"Price": 5}]}})
    pages = {
        "/": "Café Centrum AB",
        f"/tenants/{fortnox.tenant}": "1\u00a0820,00",
        f"/tenants/{fortnox.tenant}/vouchers/2/A/1": "Kassa",
        f"/tenants/{fortnox.tenant}/invoices": "KB-X",
        f"/tenants/{fortnox.tenant}/invoices/1": "Öresavrundning",
        f"/tenants/{fortnox.tenant}/orders": "Ej bokförd",
        f"/tenants/{fortnox.tenant}/accounts": "Inaktiv",
    }
    for path, text in pages.items():
        response = fortnox.client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and text in page and "Fortnox sandbox" in page, path
        assert "<script" not in page and "https://" not in page
    assert fortnox.client.get(f"/tenants/{fortnox.tenant}/nope").status_code == 404
