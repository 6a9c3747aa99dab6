"""Every path Kassabok calls, answered by a running sandbox, held against Fortnox's references.

Each answer must carry only the keys the spec's response schema declares for its path, in the
declared types (sandbox/reference/openapi.json), and where an answer to the same call was recorded
from production (sandbox/reference/recorded.json) the same keys and value types as that one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox import spec
from sandbox.testing import SandboxServer
from tests.sandbox.conftest import voucher
from tests.sandbox.shapes import differences, problems

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ("kassabok-contract", "s3cret", "http://localhost/cb")
SCOPES = "bookkeeping costcenter settings companyinformation customer invoice order"
SCOPES += " archive connectfile"  # the Z-report on its voucher (app/fortnox/attachments.py)
TODAY = date.today().isoformat()  # as tests.sandbox.conftest's voucher() dates it
PAGE = {"limit": 500, "page": 1}
RECORDED = {  # (method, template) -> the recorded case answering the same call
    ("GET", "/3/orders"): "orders/all",
    ("GET", "/3/invoices"): "invoices/all",
    ("GET", "/3/customers"): "customers/search_by_name",
    ("GET", "/3/invoices/{DocumentNumber}"): "invoices/find_id_1",
    ("GET", "/3/orders/{DocumentNumber}"): "orders/find_id_1",
    ("POST", "/3/invoices"): "invoices/row_price_limit",
}
VOUCHER = voucher((1910, "125", "0", "S12"), (3001, "0", "100", "S12"), (2611, "0", "25", "S12"))
ROWS = [{"AccountNumber": 3002, "DeliveredQuantity": "8", "Price": 107.14, "VAT": 12}]


@dataclass
class Answer:
    """One call Kassabok makes and what the sandbox answered."""

    method: str
    path: str
    status: int
    body: Any


def _walk(http: httpx.Client) -> dict[str, Answer]:
    """Make every call Kassabok makes, in an order that gives each something to answer."""
    answers: dict[str, Answer] = {}

    def call(name: str, method: str, path: str, body: Any = None, **params: Any) -> Any:
        response = http.request(method, path, json=body, params=params)
        answers[name] = Answer(method, path, response.status_code, response.json())
        return response.json()

    year = call("year by date", "GET", "/3/financialyears", date=TODAY)["FinancialYears"][0]["Id"]
    call("financial years", "GET", "/3/financialyears", **PAGE)
    call("company information", "GET", "/3/companyinformation")
    call("accounts", "GET", "/3/accounts", **PAGE)
    call("cost centers", "GET", "/3/costcenters", **PAGE)
    call("voucher series", "GET", "/3/voucherseries/A", financialyear=year)
    call("series list", "GET", "/3/voucherseries")  # the demo seed
    series = {"VoucherSeries": {"Code": "K", "Description": "Kassa", "Manual": True}}
    call("post series", "POST", "/3/voucherseries", series)
    call("locked period", "GET", "/3/settings/lockedperiod")
    call("post voucher", "POST", "/3/vouchers", VOUCHER, financialyear=year)
    span = {"fromdate": TODAY, "todate": TODAY, "financialyear": year, **PAGE}
    call("vouchers", "GET", "/3/vouchers", **span)
    call("vouchers changed", "GET", "/3/vouchers", lastmodified=f"{TODAY} 00:00", **PAGE)
    call("voucher sublist", "GET", "/3/vouchers/sublist/A", **span)
    call("voucher", "GET", "/3/vouchers/A/1", financialyear=year)
    customer = {"Customer": {"Name": "Kassabok Kontrakt AB", "OrganisationNumber": "556000-0001"}}
    number = call("post customer", "POST", "/3/customers", customer)["Customer"]["CustomerNumber"]
    call("customer", "GET", f"/3/customers/{number}")
    call("customers probe", "GET", "/3/customers", limit=1)
    for kind, rows in (("invoice", "InvoiceRows"), ("order", "OrderRows")):
        plural, wrapper = f"/3/{kind}s", kind.capitalize()
        made = []
        for ref in ("KB:S12-R1", "KB:S12-R2"):
            doc = {"CustomerNumber": "1001", "ExternalInvoiceReference1": ref, rows: ROWS}
            made.append(call(f"post {kind}", "POST", plural, {wrapper: doc})[wrapper])
        call(f"find {kind}s", "GET", plural, externalinvoicereference1="KB:S12-R1", **PAGE)
        call(f"{kind}s by date", "GET", plural, fromdate=TODAY, todate=TODAY, **PAGE)
        call(f"{kind}s changed", "GET", plural, lastmodified=f"{TODAY} 00:00", **PAGE)
        call(kind, "GET", f"{plural}/{made[0]['DocumentNumber']}")
        call(f"cancel {kind}", "PUT", f"{plural}/{made[1]['DocumentNumber']}/cancel")
    _walk_files(http, answers, year)
    return answers


def _walk_files(http: httpx.Client, answers: dict[str, Answer], year: int) -> None:
    """The calls that put a Z-report on voucher A1: upload, find, connect, read its files."""

    def keep(name: str, response: httpx.Response) -> Any:
        sent = response.request
        answers[name] = Answer(sent.method, sent.url.path, response.status_code, response.json())
        return response.json()

    pdf = ("Z1_S12_KB-contract-r1.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    file_id = keep("upload file", http.post("/3/archive", files={"file": pdf}))["File"]["Id"]
    keep("archive", http.get("/3/archive"))
    link = {"FileId": file_id, "VoucherNumber": "1", "VoucherSeries": "A", "VoucherYear": year}
    body = {"VoucherFileConnection": link}
    keep("connect file", http.post("/3/voucherfileconnections", json=body))
    search = {"voucherseries": "A", "vouchernumber": 1, "voucheryear": year, **PAGE}
    keep("voucher's files", http.get("/3/voucherfileconnections", params=search))


@pytest.fixture(scope="module")
def answers() -> Iterator[dict[str, Answer]]:
    """The sandbox's answers to every call, from one seeded company."""
    with SandboxServer(clients=[CLIENT], rate_count=0) as server:
        tenant = server.create_tenant("Café Centrum AB", "556677-8899")
        token = server.issue_tokens(CLIENT[0], CLIENT[1], tenant, SCOPES)["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=10) as http:
            yield _walk(http)


NAMES = [
    "year by date", "financial years", "company information", "accounts", "cost centers",
    "voucher series", "series list", "post series", "locked period", "post voucher",
    "vouchers", "vouchers changed", "voucher sublist", "voucher", "post customer", "customer",
    "customers probe", "post invoice", "find invoices", "invoices by date", "invoices changed",
    "invoice", "cancel invoice", "post order", "find orders", "orders by date", "orders changed",
    "order", "cancel order", "upload file", "archive", "connect file", "voucher's files",
]  # fmt: skip


def _schema(answer: Answer) -> tuple[spec.Operation, dict]:
    """The documented operation of a call and its response schema."""
    operation = spec.operation(answer.method, answer.path)
    assert operation is not None, f"{answer.method} {answer.path} is not in the spec"
    return operation, operation.response_schema(answer.status)


@pytest.mark.parametrize("name", NAMES)
def test_every_answer_carries_only_declared_keys_in_declared_types(
    answers: dict[str, Answer], name: str
) -> None:
    """No undeclared key anywhere, every value of its declared type; MetaInformation on lists."""
    answer = answers[name]
    assert answer.status in (200, 201), answer.body
    _operation, schema = _schema(answer)
    body = dict(answer.body)
    meta = body.pop("MetaInformation", None)
    assert problems(schema, body) == []
    assert set(body) == set(spec.props(schema))
    listed = any(spec.schema_type(s) == "array" for s in spec.props(schema).values())
    assert (meta is not None) == listed
    if meta is not None:
        assert problems(spec.schema("fortnox_MetaInformation"), meta) == []


@pytest.mark.parametrize("name", [n for n in NAMES if n != "customers probe"])
def test_every_answer_has_something_to_check(answers: dict[str, Answer], name: str) -> None:
    """The walk is not vacuous: each answer holds a resource or a non-empty list."""
    inner = [v for k, v in answers[name].body.items() if k != "MetaInformation"]
    assert len(inner) == 1 and inner[0], answers[name].body


@pytest.mark.parametrize("name", [n for n in NAMES if n in {
    "post invoice", "find invoices", "invoices by date", "invoice", "find orders",
    "orders by date", "order", "customers probe",
}])  # fmt: skip
def test_answers_match_the_recorded_ones(answers: dict[str, Answer], name: str) -> None:
    """Same keys (where the spec and the recording agree) and value types as production."""
    answer = answers[name]
    operation, schema = _schema(answer)
    case = RECORDED[(answer.method, operation.template)]
    recorded = spec.recorded(case)[0]["response"]["body"]
    (wrapper,) = [k for k in recorded if k != "MetaInformation"]
    assert differences(spec.props(schema)[wrapper], answer.body[wrapper], recorded[wrapper]) == []


def test_list_items_are_lean_as_fortnox_sends_them(answers: dict[str, Answer]) -> None:
    """The fields the issue names are not in list items, though the full documents have them."""
    invoice = answers["find invoices"].body["Invoices"][0]
    order = answers["find orders"].body["Orders"][0]
    assert not {"TotalVAT", "RoundOff", "YourOrderNumber", "InvoiceRows"} & set(invoice)
    assert not {"TotalVAT", "RoundOff", "YourOrderNumber", "OrderRows"} & set(order)
    assert {"TotalVAT", "RoundOff", "YourOrderNumber"} <= set(answers["invoice"].body["Invoice"])
    assert not {"Phone1", "Active"} & set(answers["customers probe"].body["Customers"][0])
    assert "accountCharts" not in answers["financial years"].body["FinancialYears"][0]
    assert "BalanceCarriedForward" not in answers["accounts"].body["Accounts"][0]
    row = answers["invoice"].body["Invoice"]["InvoiceRows"][0]
    assert row["DeliveredQuantity"] == "8"  # declared string, as recorded ("0")


def _called_paths() -> set[str]:
    """Paths app/ hands to FortnoxClient as literals (f-string fields read as "1")."""
    calls = re.compile(r"(?:client\.(?:get|post|put)\(|pages\(\s*client,\s*)f?\"([^\"]+)\"")
    probes = re.compile(r"PROBES = \{([^}]*)\}")
    found: set[str] = set()
    for source in (ROOT / "app").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        found |= {m.group(1) for m in calls.finditer(text)}
        for block in probes.findall(text):
            found |= set(re.findall(r":\s*\"([^\"]+)\"", block))
    found.add("vouchers/sublist/1")  # list_vouchers picks it by a variable
    return {re.sub(r"\{[^}]*\}", "1", path) for path in found}


def test_the_walk_covers_every_path_kassabok_calls(answers: dict[str, Answer]) -> None:
    """A call added to app/ without a place in this walk fails here."""
    walked = {spec.template(a.path) for a in answers.values()}
    called = {spec.template("/3/" + path) for path in _called_paths()}
    assert None not in called, _called_paths()
    assert called - walked == set()
