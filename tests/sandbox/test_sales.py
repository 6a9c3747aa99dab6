"""Invoices, orders and customers: Fortnox's totals with RoundOff, filters, bookkeep, cancel."""

from __future__ import annotations

from decimal import Decimal

from tests.sandbox.conftest import TODAY, Fortnox, error_of

CAFE_INVOICE = {
    "Invoice": {
        "CustomerNumber": "1001",
        "ExternalInvoiceReference1": "KB:S12-R1-104233",
        "YourOrderNumber": "R1-104233",
        "InvoiceRows": [
            {"AccountNumber": 3002, "DeliveredQuantity": 8, "Price": 107.14, "VAT": 12},
            {
                "AccountNumber": 2890,
                "DeliveredQuantity": 1,
                "Price": 40,
                "VAT": 0,
                "Description": "Dricks",
            },
        ],
    }
}


def test_invoice_totals_the_fortnox_way(fortnox: Fortnox) -> None:
    response = fortnox.post("/3/invoices", CAFE_INVOICE)
    assert response.status_code == 201
    invoice = response.json["Invoice"]
    assert invoice["DocumentNumber"] == "1" and invoice["CustomerName"].startswith("Bygg")
    amounts = {
        k: Decimal(str(invoice[k])) for k in ("Net", "TotalVAT", "Gross", "Total", "RoundOff")
    }
    assert amounts == {
        "Net": Decimal("897.12"),
        "TotalVAT": Decimal("102.85"),
        "Gross": Decimal("999.97"),
        "Total": Decimal("1000"),
        "RoundOff": Decimal("0.03"),
    }
    assert b'"RoundOff":0.03' in response.data
    assert [r["Total"] for r in invoice["InvoiceRows"]] == [857.12, 40]
    assert (
        invoice["Booked"] is False and invoice["Cancelled"] is False and invoice["Balance"] == 1000
    )


def test_rounding_down_gives_negative_roundoff(fortnox: Fortnox) -> None:
    body = {
        "Invoice": {
            "CustomerNumber": "1002",
            "InvoiceRows": [{"DeliveredQuantity": 1, "Price": 9.90, "VAT": 25}],
        }
    }
    invoice = fortnox.post("/3/invoices", body).json["Invoice"]
    assert (invoice["TotalVAT"], invoice["Total"], invoice["RoundOff"]) == (2.48, 12, -0.38)
    assert invoice["InvoiceRows"][0]["AccountNumber"] == 3001


def test_vat_included_prices(fortnox: Fortnox) -> None:
    body = {
        "Invoice": {
            "CustomerNumber": "1002",
            "VATIncluded": True,
            "InvoiceRows": [{"DeliveredQuantity": 2, "Price": 62.50, "VAT": 25}],
        }
    }
    invoice = fortnox.post("/3/invoices", body).json["Invoice"]
    assert (invoice["Net"], invoice["TotalVAT"], invoice["Total"], invoice["RoundOff"]) == (
        100,
        25,
        125,
        0,
    )


def test_invoice_filters(fortnox: Fortnox) -> None:
    fortnox.post("/3/invoices", CAFE_INVOICE)
    other = {
        "Invoice": {
            **CAFE_INVOICE["Invoice"],
            "ExternalInvoiceReference1": "KB:other",
            "YourOrderNumber": "R2",
        }
    }
    fortnox.post("/3/invoices", other)
    by_ref = fortnox.get("/3/invoices?externalinvoicereference1=KB:S12-R1-104233").json
    assert [i["DocumentNumber"] for i in by_ref["Invoices"]] == ["1"]
    assert by_ref["Invoices"][0]["Total"] == 1000 and "InvoiceRows" not in by_ref["Invoices"][0]
    assert [
        i["DocumentNumber"] for i in fortnox.get("/3/invoices?yourordernumber=R2").json["Invoices"]
    ] == ["2"]
    assert len(fortnox.get(f"/3/invoices?fromdate={TODAY}&todate={TODAY}").json["Invoices"]) == 2
    assert fortnox.get("/3/invoices?lastmodified=2999-01-01 00:00").json["Invoices"] == []
    fortnox.put("/3/invoices/2/cancel")
    assert [
        i["DocumentNumber"] for i in fortnox.get("/3/invoices?filter=cancelled").json["Invoices"]
    ] == ["2"]
    assert [
        i["DocumentNumber"] for i in fortnox.get("/3/invoices?filter=unbooked").json["Invoices"]
    ] == ["1"]
    desc = fortnox.get("/3/invoices?sortby=documentnumber&sortorder=descending").json["Invoices"]
    assert [i["DocumentNumber"] for i in desc] == ["2", "1"]


def test_bookkeep_books_a_voucher_in_series_b(fortnox: Fortnox) -> None:
    fortnox.post("/3/invoices", CAFE_INVOICE)
    booked = fortnox.put("/3/invoices/1/bookkeep").json["Invoice"]
    assert (
        booked["Booked"] is True and booked["VoucherSeries"] == "B" and booked["VoucherNumber"] == 1
    )
    voucher = fortnox.get("/3/vouchers/B/1").json["Voucher"]
    assert voucher["ReferenceType"] == "INVOICE" and voucher["ReferenceNumber"] == "1"
    rows = {(r["Account"], r["Debit"], r["Credit"]) for r in voucher["VoucherRows"]}
    assert rows == {
        (1510, 1000, 0),
        (3002, 0, 857.12),
        (2621, 0, 102.85),
        (2890, 0, 40),
        (3740, 0, 0.03),
    }
    again = fortnox.put("/3/invoices/1/bookkeep")
    assert again.status_code == 400 and error_of(again)["code"] == 2009302
    assert error_of(fortnox.put("/3/invoices/1/cancel"))["code"] == 2009302
    assert error_of(fortnox.put("/3/invoices/1", {"Invoice": {"Remarks": "x"}}))["code"] == 2009302


def test_update_unbooked_invoice_recomputes(fortnox: Fortnox) -> None:
    fortnox.post("/3/invoices", CAFE_INVOICE)
    rows = [{"AccountNumber": 3001, "DeliveredQuantity": 1, "Price": 80, "VAT": 25}]
    updated = fortnox.put(
        "/3/invoices/1", {"Invoice": {"InvoiceRows": rows, "Remarks": "Ny"}}
    ).json["Invoice"]
    assert (updated["Total"], updated["Remarks"], updated["ExternalInvoiceReference1"]) == (
        100,
        "Ny",
        "KB:S12-R1-104233",
    )


def test_invoice_validations(fortnox: Fortnox) -> None:
    def code(body: dict) -> int:
        response = fortnox.post("/3/invoices", {"Invoice": body})
        assert response.status_code == 400
        return error_of(response)["code"]

    assert code({"InvoiceRows": []}) == 2009002
    assert code({"CustomerNumber": "9999", "InvoiceRows": []}) == 2009205
    assert code({"CustomerNumber": "1001", "InvoiceRows": [{"Price": 1, "VAT": 7}]}) == 2009301
    assert (
        code({"CustomerNumber": "1001", "InvoiceRows": [{"Price": 1, "AccountNumber": 1920}]})
        == 2000947
    )
    assert code({"CustomerNumber": "1001", "Nonsense": 1}) == 2001399


def test_order_createinvoice_answers_the_invoice(fortnox: Fortnox) -> None:
    """createinvoice answers {"Invoice": …} (spec); orders carry Fortnox's enums and "0"."""
    body = {
        "Order": {
            "CustomerNumber": "1002",
            "ExternalInvoiceReference1": "KB:S12-R1-9",
            "OrderRows": [{"OrderedQuantity": 3, "Price": 100, "VAT": 12, "AccountNumber": 3002}],
        }
    }
    order = fortnox.post("/3/orders", body).json["Order"]
    assert order["Total"] == 336 and order["OrderRows"][0]["DeliveredQuantity"] in (3, "3")
    assert (order["OrderType"], order["DeliveryState"], order["InvoiceReference"]) == (
        "Order",
        "delivery",
        "0",
    )
    listed = fortnox.get("/3/orders?externalinvoicereference1=KB:S12-R1-9").json["Orders"]
    assert [o["DocumentNumber"] for o in listed] == ["1"]
    answer = fortnox.put("/3/orders/1/createinvoice")
    assert answer.status_code == 200 and list(answer.json) == ["Invoice"]
    invoice = answer.json["Invoice"]
    assert invoice["ExternalInvoiceReference1"] == "KB:S12-R1-9" and invoice["Total"] == 336
    assert invoice["OrderReference"] == "1"
    again = fortnox.get("/3/orders/1").json["Order"]
    assert again["InvoiceReference"] == invoice["DocumentNumber"]
    assert [
        o["DocumentNumber"] for o in fortnox.get("/3/orders?filter=invoicecreated").json["Orders"]
    ] == ["1"]
    assert fortnox.get("/3/orders?filter=invoicenotcreated").json["Orders"] == []
    assert error_of(fortnox.put("/3/orders/1/createinvoice"))["code"] == 2009304
    assert error_of(fortnox.put("/3/orders/1/cancel"))["code"] == 2009304


def test_order_delivery_state_takes_fortnox_enum_only(fortnox: Fortnox) -> None:
    """DeliveryState is registration | reservation | delivery (spec enum), nothing else."""
    body = {"Order": {"CustomerNumber": "1002", "DeliveryState": "reservation"}}
    assert fortnox.post("/3/orders", body).json["Order"]["DeliveryState"] == "reservation"
    body["Order"]["DeliveryState"] = "RESERVATION"
    assert fortnox.post("/3/orders", body).status_code == 400


def test_order_cancel(fortnox: Fortnox) -> None:
    body = {"Order": {"CustomerNumber": "1002", "OrderRows": [{"OrderedQuantity": 1, "Price": 10}]}}
    fortnox.post("/3/orders", body)
    assert fortnox.put("/3/orders/1/cancel").json["Order"]["Cancelled"] is True
    assert error_of(fortnox.put("/3/orders/1/createinvoice"))["code"] == 2009303
    assert len(fortnox.get("/3/orders?filter=cancelled").json["Orders"]) == 1


def test_customer_numbers_stay_used(fortnox: Fortnox) -> None:
    created = fortnox.post(
        "/3/customers", {"Customer": {"CustomerNumber": "2001", "Name": "Ny Kund AB"}}
    )
    assert created.status_code == 201 and created.json["Customer"]["Name"] == "Ny Kund AB"
    assert fortnox.call("DELETE", "/3/customers/2001").status_code == 204
    assert fortnox.get("/3/customers/2001").status_code == 404
    again = fortnox.post("/3/customers", {"Customer": {"CustomerNumber": "2001", "Name": "Igen"}})
    assert again.status_code == 400 and error_of(again)["code"] == 2000637
    auto = fortnox.post("/3/customers", {"Customer": {"Name": "Auto AB"}}).json["Customer"]
    assert auto["CustomerNumber"] not in ("1001", "1002", "1003", "2001")
    names = [c["Name"] for c in fortnox.get("/3/customers?limit=2&page=1").json["Customers"]]
    assert len(names) == 2


def test_registers_create_and_change(fortnox: Fortnox) -> None:
    made = fortnox.post(
        "/3/accounts", {"Account": {"Number": 3005, "Description": "Försäljning café"}}
    )
    assert made.status_code == 201 and made.json["Account"]["Active"] is True
    assert (
        error_of(fortnox.post("/3/accounts", {"Account": {"Number": 3005, "Description": "x"}}))[
            "code"
        ]
        == 2009201
    )
    center = fortnox.post(
        "/3/costcenters", {"CostCenter": {"Code": "S30", "Description": "Ny butik"}}
    )
    assert center.status_code == 201
    assert fortnox.get("/3/costcenters/S30").json["CostCenter"]["Active"] is True
    assert (
        fortnox.put("/3/accounts/3005", {"Account": {"CostCenterSettings": "BOGUS"}}).status_code
        == 400
    )
    assert fortnox.get("/3/accounts/9998").status_code == 404
    accounts = fortnox.get("/3/accounts?limit=500").json
    assert accounts["MetaInformation"]["@TotalResources"] > 80
    assert any(not a["Active"] for a in accounts["Accounts"])
