"""Vouchers: Fortnox's validations with their error bodies, numbering, immutability, listing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sandbox.conftest import TODAY, Fortnox, error_of, voucher

LAST_YEAR = f"{date.today().year - 1}-06-30"
GOOD = ((1910, "125.00", "0", "S12"), (3001, "0", "100.00", "S12"), (2611, "0", "25.00", "S12"))


def test_created_voucher_is_numbered_manual_and_named(fortnox: Fortnox) -> None:
    response = fortnox.post("/3/vouchers", voucher(*GOOD))
    assert response.status_code == 201
    created = response.json["Voucher"]
    assert created["VoucherNumber"] == 1 and created["VoucherSeries"] == "A"
    assert created["ReferenceType"] == "MANUAL" and created["Year"] == 2
    assert created["@url"].endswith("/3/vouchers/A/1?financialyear=2")
    rows = created["VoucherRows"]
    assert rows[0] == {
        "Account": 1910,
        "CostCenter": "S12",
        "Credit": 0,
        "Debit": 125,
        "Description": "Kassa",
        "Project": "",
        "Removed": False,
        "TransactionInformation": "",
        "Quantity": 0,
    }
    assert b'"Debit":125.00' in response.data  # a JSON number, öre-exact


def test_numbering_is_per_series_and_financial_year(fortnox: Fortnox) -> None:
    numbers = [
        fortnox.post("/3/vouchers", voucher(*GOOD, day=day)).json["Voucher"]
        for day in (TODAY, TODAY, LAST_YEAR, LAST_YEAR, TODAY)
    ]
    assert [(v["Year"], v["VoucherNumber"]) for v in numbers] == [
        (2, 1),
        (2, 2),
        (1, 1),
        (1, 2),
        (2, 3),
    ]
    series = fortnox.get("/3/voucherseries/A").json["VoucherSeries"]
    assert series["NextVoucherNumber"] == 4 and series["Manual"] is True
    old = fortnox.get("/3/vouchers/A/2?financialyear=1").json["Voucher"]
    assert old["TransactionDate"] == LAST_YEAR


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_vouchers_cannot_be_changed_or_deleted(fortnox: Fortnox, method: str) -> None:
    fortnox.post("/3/vouchers", voucher(*GOOD))
    response = fortnox.call(method, "/3/vouchers/A/1", json=voucher(*GOOD))
    assert response.status_code == 405 and "ErrorInformation" in response.json
    assert fortnox.get("/3/vouchers/A/1").json["Voucher"]["VoucherRows"][0]["Debit"] == 125


def _refusal(fortnox: Fortnox, body: dict, status: int = 400) -> dict:
    response = fortnox.post("/3/vouchers", body)
    assert response.status_code == status, response.data
    assert fortnox.get("/3/vouchers").json["MetaInformation"]["@TotalResources"] == 0
    return error_of(response)


def test_unbalanced(fortnox: Fortnox) -> None:
    err = _refusal(fortnox, voucher((1910, "125.00", "0", "S12"), (3001, "0", "100.00", "S12")))
    assert err == {
        "error": 1,
        "code": 2009101,
        "message": "Verifikationen är inte i balans (debet 125.00, kredit 100.00).",
    }


def test_unknown_account(fortnox: Fortnox) -> None:
    err = _refusal(fortnox, voucher((1911, "10", "0", ""), (3001, "0", "10", "")))
    assert err["code"] == 2001304 and "1911" in err["message"]


def test_inactive_account_after_put(fortnox: Fortnox) -> None:
    changed = fortnox.put("/3/accounts/3001", {"Account": {"Active": False}})
    assert changed.json["Account"]["Active"] is False
    err = _refusal(fortnox, voucher(*GOOD))
    assert err["code"] == 2000947 and "3001" in err["message"]


def test_seeded_inactive_account(fortnox: Fortnox) -> None:
    assert (
        _refusal(fortnox, voucher((1920, "10", "0", ""), (3001, "0", "10", "")))["code"] == 2000947
    )


def test_unknown_cost_center(fortnox: Fortnox) -> None:
    err = _refusal(fortnox, voucher((1910, "10", "0", "S99"), (3001, "0", "10", "")))
    assert err["code"] == 2009104 and "S99" in err["message"]


def test_inactive_cost_center_after_put(fortnox: Fortnox) -> None:
    fortnox.put("/3/costcenters/S12", {"CostCenter": {"Active": False}})
    err = _refusal(fortnox, voucher(*GOOD))
    assert err["code"] == 2000947 and "S12" in err["message"]


def test_cost_center_mandatory(fortnox: Fortnox) -> None:
    fortnox.put("/3/accounts/1910", {"Account": {"CostCenterSettings": "MANDATORY"}})
    err = _refusal(fortnox, voucher((1910, "10", "0", ""), (3001, "0", "10", "")))
    assert err["code"] == 2000946 and "1910" in err["message"]


def test_cost_center_not_allowed(fortnox: Fortnox) -> None:
    err = _refusal(fortnox, voucher((2650, "10", "0", "S12"), (3001, "0", "10", "S12")))
    assert err["code"] == 2009105


def test_series_missing(fortnox: Fortnox) -> None:
    assert _refusal(fortnox, voucher(*GOOD, series="K"))["code"] == 2009106


def test_series_not_manual(fortnox: Fortnox) -> None:
    assert _refusal(fortnox, voucher(*GOOD, series="B"))["code"] == 2009107
    fortnox.put("/3/voucherseries/A", {"VoucherSeries": {"Manual": False}})
    err = _refusal(fortnox, voucher(*GOOD))
    assert err["code"] == 2009107 and "A" in err["message"]


def test_no_financial_year(fortnox: Fortnox) -> None:
    err = _refusal(fortnox, voucher(*GOOD, day="2001-05-05"))
    assert err == {
        "error": 1,
        "code": 2009108,
        "message": "Räkenskapsår saknas för datumet 2001-05-05.",
    }


def test_locked_period(fortnox: Fortnox) -> None:
    fortnox.client.put(f"/_sandbox/tenants/{fortnox.tenant}/lockedperiod", json={"EndDate": TODAY})
    assert fortnox.get("/3/settings/lockedperiod").json == {"LockedPeriod": {"EndDate": TODAY}}
    err = _refusal(fortnox, voucher(*GOOD))
    assert err["code"] == 2000401 and TODAY in err["message"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, 2001392),
        (
            {"Voucher": {"VoucherSeries": "A", "TransactionDate": TODAY, "Description": "x"}},
            2009102,
        ),
        ({"Voucher": {"VoucherSeries": "A", "Description": "x", "VoucherRows": []}}, 2009002),
        (
            {"Voucher": {"VoucherSeries": "A", "TransactionDate": "25/11", "Description": "x"}},
            2009003,
        ),
        ({"Voucher": {"Bogus": 1}}, 2001399),
    ],
)
def test_malformed_bodies(fortnox: Fortnox, body: dict, code: int) -> None:
    assert _refusal(fortnox, body)["code"] == code


def test_row_with_both_sides_or_three_decimals(fortnox: Fortnox) -> None:
    assert (
        _refusal(fortnox, voucher((1910, "10", "10", ""), (3001, "0", "0", "")))["code"] == 2009103
    )
    assert (
        _refusal(fortnox, voucher((1910, "10.005", "0", ""), (3001, "0", "10.005", "")))["code"]
        == 2000108
    )


def test_broken_json(fortnox: Fortnox) -> None:
    response = fortnox.client.post(
        "/3/vouchers",
        data="{nope",
        content_type="application/json",
        headers={"Authorization": f"Bearer {fortnox.token}"},
    )
    assert response.status_code == 400 and error_of(response)["code"] == 2002115


def test_list_pagination_and_sublist(fortnox: Fortnox) -> None:
    for series in ("A", "A", "A"):
        fortnox.post("/3/vouchers", voucher(*GOOD, series=series))
    fortnox.post(
        "/3/voucherseries", {"VoucherSeries": {"Code": "K", "Description": "Kassa", "Manual": True}}
    )
    fortnox.post("/3/vouchers", voucher(*GOOD, series="K"))
    page = fortnox.get("/3/vouchers?limit=3&page=2").json
    assert page["MetaInformation"] == {"@TotalResources": 4, "@TotalPages": 2, "@CurrentPage": 2}
    assert [(v["VoucherSeries"], v["VoucherNumber"]) for v in page["Vouchers"]] == [("K", 1)]
    item = page["Vouchers"][0]
    assert set(item) == {  # fortnox_VoucherListItem: no rows
        "@url",
        "ApprovalState",
        "Comments",
        "Description",
        "ReferenceNumber",
        "ReferenceType",
        "TransactionDate",
        "VoucherNumber",
        "VoucherSeries",
        "Year",
    }
    sub = fortnox.get("/3/vouchers/sublist/A").json
    assert [v["VoucherNumber"] for v in sub["Vouchers"]] == [1, 2, 3]
    assert fortnox.get("/3/vouchers?limit=501").status_code == 400


def test_list_by_dates_year_and_lastmodified(fortnox: Fortnox) -> None:
    fortnox.post("/3/vouchers", voucher(*GOOD, day=LAST_YEAR))
    fortnox.post("/3/vouchers", voucher(*GOOD))
    this_year = fortnox.get(f"/3/vouchers?fromdate={TODAY}&todate={TODAY}").json["Vouchers"]
    assert [v["TransactionDate"] for v in this_year] == [TODAY]
    last = fortnox.get("/3/vouchers?financialyear=1").json["Vouchers"]
    assert [v["TransactionDate"] for v in last] == [LAST_YEAR]
    assert fortnox.get("/3/vouchers?lastmodified=2999-01-01 00:00").json["Vouchers"] == []
    assert len(fortnox.get("/3/vouchers?lastmodified=2000-01-01 00:00").json["Vouchers"]) == 1


def test_financial_years_by_date(fortnox: Fortnox) -> None:
    years = fortnox.get(f"/3/financialyears?date={TODAY}").json["FinancialYears"]
    assert [y["Id"] for y in years] == [2]
    assert fortnox.get("/3/financialyears?date=2001-01-01").json["FinancialYears"] == []
    next_year = date.today().year + 1
    created = fortnox.post(
        "/3/financialyears",
        {"FinancialYear": {"FromDate": f"{next_year}-01-01", "ToDate": f"{next_year}-12-31"}},
    )
    assert created.status_code == 201 and created.json["FinancialYear"]["Id"] == 3
