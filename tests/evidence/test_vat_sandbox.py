"""The VAT tie-out on the Fortnox sandbox: posted days, a held day, a hand entry off its rate."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from app.evidence import tieout
from tests.posting.sandbox_support import day_closure, drain

D = Decimal


def last_month() -> date:
    """The first day of last month: wholly past, in a financial year the sandbox seeds."""
    return (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)


def _vat(payloads: list[dict], rate: str) -> Decimal:
    lines = [line for p in payloads for line in p["sales"] if line["vat_rate"] == rate]
    return sum((D(line["vat"]) for line in lines), D("0.00"))


def test_the_month_ties_out_but_for_a_held_day_and_a_hand_entry(
    app, session: Session, fx, receive, runner
) -> None:
    month = last_month()
    rng = random.Random(16)
    posted = [
        day_closure("S12", z, (month + timedelta(days=z)).isoformat(), rng) for z in (2, 3, 4)
    ]
    held = day_closure("S12", 5, (month + timedelta(days=5)).isoformat(), rng)
    held["cash_count"]["counted"] = f"{D(held['cash_count']['expected']) - D('150.00'):.2f}"
    held["payments"][0]["amount"] = held["cash_count"]["expected"]
    for payload in [*posted, held]:
        receive(fx.company, payload)
    drain(app, session)
    fx.fortnox("POST", "voucherseries", {"VoucherSeries": {"Code": "M", "Description": "Manuella",
                                                            "Manual": True}})  # fmt: skip
    hand = {"Voucher": {"VoucherSeries": "M", "Description": "Kontantförsäljning utan kassa",
            "TransactionDate": (month + timedelta(days=9)).isoformat(), "VoucherRows": [
                {"Account": 1910, "Debit": 1130.0, "Credit": 0},
                {"Account": 3001, "Debit": 0, "Credit": 1000.0},
                {"Account": 2611, "Debit": 0, "Credit": 130.0}]}}  # fmt: skip
    fx.fortnox("POST", "vouchers", hand, financialyear=None)
    fx.sandbox.strict_params(True)  # a parameter GET /3/vouchers does not document answers 400
    fx.sandbox.reset_stats()
    result = runner.invoke(
        args=["vat", "tieout", "--company", fx.company.orgnr, "--month", month.strftime("%Y-%m")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    stats = fx.sandbox.stats()
    rates = {r["rate"]: r for r in data["rates"]}
    for rate in ("25", "12", "6"):
        line = rates[rate]
        assert D(line["tills"]) == _vat([*posted, held], rate)
        assert D(line["kassabok_vouchers"]) == _vat(posted, rate)
        assert D(line["explained"]) == D(line["difference"])
    assert D(rates["25"]["others"]) == D("130.00")
    assert D(rates["25"]["difference"]) == D("130.00") - _vat([held], "25")
    by_kind = {(d["kind"], d["rate"]): d for d in data["documents"]}
    assert (
        by_kind["other", "25"]["document"] == "M 1" and by_kind["other", "25"]["amount"] == "130.00"
    )
    assert by_kind["closure", "12"]["why"] == "held"
    assert D(by_kind["closure", "12"]["amount"]) == -_vat([held], "12")
    [deviation] = data["deviations"]
    assert (deviation["voucher"], deviation["rate"], deviation["effective"]) == (
        "M 1",
        "25",
        "13.00",
    )
    assert deviation["kassabok"] is False
    kept = tieout.last(session, fx.company.id, month)
    assert kept is not None and kept.result["rates"] == data["rates"]
    # One lean listing, one detail for the hand entry (Kassabok's own rows came with its answers).
    assert stats["endpoints"] == {
        "GET /3/financialyears": {"200": 1},
        "GET /3/vouchers": {"200": 1},
        "GET /3/vouchers/{series}/{number}": {"200": 1},
    }
    fx.sandbox.reset_stats()
    again = runner.invoke(
        args=["vat", "tieout", "--company", fx.company.orgnr, "--month", month.strftime("%Y-%m")]
    )
    assert json.loads(again.output)["rates"] == data["rates"]
    assert fx.sandbox.stats()["total"] <= 3, fx.sandbox.stats()


def test_a_bad_month_or_company_is_a_clear_error(runner, fx) -> None:
    bad = runner.invoke(args=["vat", "tieout", "--company", fx.company.orgnr, "--month", "2026-13"])
    assert bad.exit_code != 0 and "use YYYY-MM" in bad.output
    none = runner.invoke(args=["vat", "tieout", "--company", "000000-0000", "--month", "2026-11"])
    assert none.exit_code != 0 and "no company" in none.output


def test_kassabok_invoices_count_once_even_once_booked_in_fortnox(
    app, session: Session, fx, receive, runner
) -> None:
    from tests.posting.conftest import fixture

    company = fx.company
    company.invoice = company.tip_on_invoice = True
    session.add(company)
    session.commit()
    month = last_month()
    payload = fixture("cafe-full-day", business_date=(month + timedelta(days=23)).isoformat())
    receive(company, payload)
    drain(app, session)
    found = fx.fortnox("GET", "invoices", externalinvoicereference1="KB:S12-Z457-r1:R1-104233")
    number = found["Invoices"][0]["DocumentNumber"]
    fx.fortnox("PUT", f"invoices/{number}/bookkeep")  # Fortnox books it: a B voucher on 2621
    result = runner.invoke(
        args=["vat", "tieout", "--company", company.orgnr, "--month", month.strftime("%Y-%m")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    r12 = next(r for r in data["rates"] if r["rate"] == "12")
    assert D(r12["tills"]) == _vat([payload], "12") == D("1060.72")
    assert (r12["kassabok_vouchers"], r12["kassabok_invoices"]) == ("957.87", "102.85")
    assert (r12["others"], r12["difference"]) == ("0.00", "0.00")
    assert data["documents"] == [] and data["deviations"] == []
