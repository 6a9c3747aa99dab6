"""Invoices, orders and customers through app.fortnox.api, against the sandbox."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import Flask
from sqlmodel import Session

from app.fortnox import api, chart
from tests.sandbox_fixtures import FortnoxCompany, connect_company

TODAY = date.today().isoformat()
SCOPE = "bookkeeping costcenter companyinformation settings customer invoice order"


def test_customers_invoices_and_orders(app: Flask, session: Session, fortnox_company) -> None:
    fc: FortnoxCompany = fortnox_company
    with app.app_context():
        connect_company(session, fc.company, fc.sandbox, fc.tenant, scope=SCOPE)
        with api.client_for(session, fc.company.id) as client:
            assert api.get_customer(client, "7001") is None
            made = api.create_customer(client, {"CustomerNumber": "7001", "Name": "Kund AB"})
            assert made["CustomerNumber"] == "7001"
            assert api.get_customer(client, "7001")["Name"] == "Kund AB"

            row = {"AccountNumber": 3002, "DeliveredQuantity": 8, "Price": Decimal("107.14")}
            invoice = api.create_invoice(
                client,
                {
                    "CustomerNumber": "7001",
                    "InvoiceDate": TODAY,
                    "ExternalInvoiceReference1": "KB:S12-Z1-r1-R1",
                    "InvoiceRows": [{**row, "VAT": 12, "CostCenter": "S12"}],
                },
            )
            number = invoice["DocumentNumber"]
            assert api.get_invoice(client, number)["ExternalInvoiceReference1"] == "KB:S12-Z1-r1-R1"
            found = api.find_invoices(client, "KB:S12-Z1-r1-R1")
            assert [i["DocumentNumber"] for i in found] == [number]
            assert api.find_invoices(client, "KB:nothing") == []
            listed = api.list_invoices(client, from_date=TODAY, to_date=TODAY)
            assert number in [i["DocumentNumber"] for i in listed]

            order = api.create_order(
                client,
                {
                    "CustomerNumber": "7001",
                    "OrderDate": TODAY,
                    "ExternalInvoiceReference1": "KB:S12-Z1-r1-R2",
                    "OrderRows": [{**row, "OrderedQuantity": 8, "VAT": 12}],
                },
            )
            got = api.get_order(client, order["DocumentNumber"])
            assert got["ExternalInvoiceReference1"] == "KB:S12-Z1-r1-R2"
            hits = api.find_orders(client, "KB:S12-Z1-r1-R2")
            assert [o["DocumentNumber"] for o in hits] == [order["DocumentNumber"]]


def test_decimals_are_sent_as_exact_numbers() -> None:
    from app.fortnox.client import encode

    body = {"Debit": Decimal("0.10"), "Rows": [Decimal("12345678901234.57")], "Name": "Å"}
    text = encode(body).decode()
    assert text == '{"Debit": 0.10, "Rows": [12345678901234.57], "Name": "Å"}'
    assert json.loads(text, parse_float=Decimal)["Rows"] == [Decimal("12345678901234.57")]


def test_chart_is_cached_and_searchable(app: Flask, session: Session, fortnox_company) -> None:
    fc: FortnoxCompany = fortnox_company
    with app.app_context():
        fc.sandbox.reset_stats()
        first = chart.accounts(session, fc.company)
        again = chart.accounts(session, fc.company)
        assert first == again and len(first) > 50
        assert fc.sandbox.stats()["endpoints"]["GET /3/accounts"] == {"200": 1}, "cached"
        hits = chart.search_accounts(session, fc.company, "kassa")
        assert hits[0].number == "1910" and hits[0].cost_center_settings == "ALLOWED"
        assert [a.number for a in chart.search_accounts(session, fc.company, "261")][:2] == [
            "2610",
            "2611",
        ]
        fc.fortnox("PUT", "accounts/1910", {"Account": {"Active": False}})
        assert chart.search_accounts(session, fc.company, "1910")[0].active is True, "cached"
        fresh = {a.number: a for a in chart.accounts(session, fc.company, refresh=True)}
        assert fresh["1910"].active is False


def _recorded(uri_end: str) -> dict:
    """A body Fortnox's production API answered (sandbox/reference/recorded.json)."""
    path = Path(__file__).resolve().parents[2] / "sandbox" / "reference" / "recorded.json"
    for exchange in json.loads(path.read_text())["exchanges"]:
        if exchange["request"]["uri"].endswith(uri_end):
            body = exchange["response"]["body"]
            return json.loads(body) if isinstance(body, str) else body
    raise LookupError(uri_end)


def test_an_order_not_invoiced_says_invoice_zero_and_reads_as_none() -> None:
    order = _recorded("/3/orders/1")["Order"]
    assert order["InvoiceReference"] == "0", "as recorded from Fortnox"
    assert api.invoiced_as(order) == ""
    assert api.invoiced_as({**order, "InvoiceReference": "17"}) == "17"
    assert api.invoiced_as({}) == ""
