"""Every request body Kassabok sends, held against the request schema of Fortnox's specification.

The bodies come from the real builders over many closures (the SPEC's examples, the fixtures and
hypothesis' valid closures, stretched to the closure schema's longest texts) and, end to end, from
what the client put on the wire while posting against the sandbox. Each must carry only keys the
specification declares, with its types (amounts as JSON numbers, never strings) and its lengths;
what a company's settings could push over a limit is held before anything is sent.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

from app.closures.models import Closure, ClosureState
from app.fortnox.client import FortnoxClient, encode
from app.posting.builder import BuildSettings, build_voucher
from app.posting.builder_limits import COST_CENTER, LIMITS, SERIES, limit_holds
from app.posting.corrections import reversal_draft
from app.posting.invoices import build_invoices
from sandbox import spec
from tests.closure_strategies import FULL_MAPPING, valid_closures
from tests.posting import conftest as posting
from tests.posting.conftest import fixture
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401

receive = posting.receive  # the posting tests' fixture: a closure stored as ingest does
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "closures"
MANY = settings(max_examples=150, deadline=None)
# Required by the schema but given another way: the path's `financialyear` query parameter files
# the voucher in its year (the operation's own words), and Fortnox documents Year as read-only.
GIVEN_ELSEWHERE = {"body.Voucher.Year"}
PATHS = {"Voucher": "/3/vouchers", "Invoice": "/3/invoices", "Order": "/3/orders"}
hows = st.builds(
    BuildSettings,
    series=st.sampled_from(["A", "K", "DAGSKASSA1"]),
    invoice=st.booleans(),
    tip_on_invoice=st.just(True),
    use_order=st.booleans(),
)
centers = st.sampled_from(["S12", "1", "CAFE01"])


def request_schema(method: str, path: str) -> dict:
    """The schema of the body the specification takes for method on path."""
    operation = spec.operation(method, path)
    assert operation is not None, f"{method} {path} is not in Fortnox's specification"
    content = operation.raw["requestBody"]["content"]
    return (content.get("application/json") or next(iter(content.values())))["schema"]


def problems(schema: dict, value: Any, where: str) -> list[str]:
    """Where value breaks schema: undeclared keys, types, lengths, bounds, enums, required."""
    schema = spec.resolve(schema)
    kind = spec.schema_type(schema)
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, the spec declares an object"]
        declared = spec.props(schema)
        out = [f"{where}.{k}: not declared by the spec" for k in value if k not in declared]
        out += [
            f"{where}.{k}: required by the spec"
            for k in schema.get("required", [])
            if k not in value and f"{where}.{k}" not in GIVEN_ELSEWHERE
        ]
        for key, item in value.items():
            if key in declared:
                out += problems(declared[key], item, f"{where}.{key}")
        return out
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, the spec declares an array"]
        out = [f"{where}: fewer than minItems"] if len(value) < schema.get("minItems", 0) else []
        for i, item in enumerate(value):
            out += problems(schema.get("items", {}), item, f"{where}[{i}]")
        return out
    return _scalar(schema, kind, value, where)


def _scalar(schema: dict, kind: str | None, value: Any, where: str) -> list[str]:
    """Problems of one string, number, integer or boolean."""
    python = {
        "string": str,
        "integer": int,
        "number": (int, Decimal),
        "boolean": bool,
    }.get(kind or "")
    if python is None:
        return []
    if isinstance(value, bool) != (kind == "boolean") or not isinstance(value, python):
        return [f"{where}: {value!r} is not of the spec's type {kind}"]
    out = []
    if kind == "string":
        if len(value) > schema.get("maxLength", len(value)):
            out.append(f"{where}: {len(value)} characters, over maxLength {schema['maxLength']}")
        if len(value) < schema.get("minLength", 0):
            out.append(f"{where}: under minLength {schema['minLength']}")
        if schema.get("format") == "date" and date.fromisoformat(value).isoformat() != value:
            out.append(f"{where}: {value!r} is not a date as YYYY-MM-DD")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if kind in ("integer", "number"):
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            out.append(f"{where}: {value} outside {low}..{high}")
    return out


def on_the_wire(body: dict) -> dict:
    """The body as Fortnox reads it: the client's bytes parsed, numbers kept exact."""
    return json.loads(encode(body), parse_float=Decimal)


def check(method: str, path: str, body: dict) -> None:
    """Assert body, as sent, is what the specification takes for method on path."""
    assert problems(request_schema(method, path), on_the_wire(body), "body") == [], (path, body)


def bodies(closure: dict, how: BuildSettings, center: str) -> list[tuple[str, dict]]:
    """(path, body) of everything the builders make of closure."""
    voucher = build_voucher(closure, FULL_MAPPING, how, center)
    out = [(PATHS["Voucher"], voucher.to_fortnox())] if not voucher.is_empty else []
    for draft in build_invoices(closure, FULL_MAPPING, how, center):
        body = draft.to_fortnox()
        out.append((PATHS[next(iter(body))], body))
    return out


def stretched(closure: dict) -> dict:
    """closure with every text the builders copy at the closure schema's longest."""
    groups: dict[str, str] = {}

    def longest(group: str) -> str:
        return groups.setdefault(group, f"{group}{len(groups)}".ljust(32, "X"))

    out = json.loads(json.dumps(closure))
    out |= {"store_id": "S" * 40, "z_number": 2**31 - 1, "revision": 999}
    for line in out["sales"]:
        line["product_group"] = longest(line["product_group"])
    for i, sale in enumerate(out.get("invoice_sales", [])):
        sale |= {
            "reference": f"R{i}".ljust(50, "9"),
            "customer_number": "C" * 20,
            "customer_name": "N" * 200,
            "your_reference": "Y" * 50,
        }
        for line in sale["lines"]:
            line |= {"product_group": longest(line["product_group"]), "description": "D" * 200}
    return out


def _examples() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(FIXTURES.glob("*.json"))]


@pytest.mark.parametrize("example", _examples(), ids=lambda c: str(c["closure_id"]))
@pytest.mark.parametrize("use_order", [False, True], ids=["invoice", "order"])
def test_the_examples_bodies_are_what_the_spec_takes(example: dict, use_order: bool) -> None:
    how = BuildSettings(invoice=True, tip_on_invoice=True, use_order=use_order)
    sent = bodies(example, how, "S12") + bodies(stretched(example), how, "S12")
    for path, body in sent:
        check("POST", path, body)


@MANY
@given(valid_closures(), hows, centers, st.booleans())
def test_every_built_body_is_what_the_spec_takes(
    closure: dict, how: BuildSettings, center: str, stretch: bool
) -> None:
    closure = stretched(closure) if stretch else closure
    for path, body in bodies(closure, how, center):
        check("POST", path, body)
    voucher = build_voucher(closure, FULL_MAPPING, how, center)
    drafts = build_invoices(closure, FULL_MAPPING, how, center)
    assert limit_holds(closure["store_id"], voucher, drafts) == []


@MANY
@given(valid_closures(with_invoices=False), hows)
def test_amounts_go_out_as_json_numbers_to_the_ore(closure: dict, how: BuildSettings) -> None:
    voucher = build_voucher(closure, FULL_MAPPING, how, "S12")
    sent = on_the_wire(voucher.to_fortnox())["Voucher"]["VoucherRows"]
    assert [(r["Debit"], r["Credit"]) for r in sent] == [(r.debit, r.credit) for r in voucher.rows]
    assert all(type(r["Debit"]) is type(r["Credit"]) is Decimal for r in sent)


@MANY
@given(valid_closures(with_invoices=False), st.booleans())
def test_a_reversal_body_is_what_the_spec_takes(closure: dict, stretch: bool) -> None:
    closure = stretched(closure) if stretch else closure
    voucher = build_voucher(closure, FULL_MAPPING, BuildSettings(series="DAGSKASSA1"), "CAFE01")
    if voucher.is_empty:
        return
    old = Closure(
        company_id=1,
        closure_id=closure["closure_id"],
        store_code=closure["store_id"],
        register_id="R1",
        z_number=closure["z_number"],
        business_date=date.fromisoformat(closure["business_date"]),
        payload=closure,
        voucher_series=voucher.series,
    )
    original = on_the_wire(voucher.to_fortnox())["Voucher"]  # as Fortnox keeps it
    check("POST", PATHS["Voucher"], reversal_draft(old, original).to_fortnox())


def test_the_limits_kassabok_enforces_are_the_specs() -> None:
    """Each text Kassabok fills that the spec caps is checked, at the spec's own limit."""
    assert spec.schema("fortnox_CostCenter")["properties"]["Code"]["maxLength"] == COST_CENTER
    assert spec.schema("fortnox_VoucherSeries")["properties"]["Code"]["maxLength"] == SERIES
    codes = {"CostCenter": COST_CENTER, "VoucherSeries": SERIES}
    # An order's texts go onto the invoice Fortnox makes of it: the invoice's limits apply.
    invoice = spec.props(spec.schema("fortnox_InvoicePayload"))
    example = json.loads((FIXTURES / "cafe-full-day.json").read_text())
    sent = [{"Customer": {"CustomerNumber": "1001", "Name": "Konferens AB"}}]
    for use_order in (False, True):
        how = BuildSettings(invoice=True, tip_on_invoice=True, use_order=use_order)
        sent += [body for _path, body in bodies(example, how, "S1")]
    for body in sent:
        (wrap,) = body
        schema = spec.props(request_schema("POST", f"/3/{wrap.lower()}s"))[wrap]
        for name, fields, part in _parts(wrap, body[wrap], schema):
            for field in (f for f in fields if isinstance(fields[f], str)):
                capped = spec.props(part).get(field, {}).get("maxLength") or codes.get(field)
                if name == "Order":
                    capped = capped or invoice.get(field, {}).get("maxLength")
                assert LIMITS[name].get(field) == capped, (name, field)


def _parts(name: str, fields: dict, schema: dict) -> list[tuple[str, dict, dict]]:
    """(name, fields, schema) of a body's object and of each row object inside it."""
    out = [(name, fields, schema)]
    for key, value in fields.items():
        if isinstance(value, list) and value:
            out.append((key, value[0], spec.resolve(spec.props(schema)[key]).get("items", {})))
    return out


def test_the_client_writes_decimals_as_exact_numbers_and_nothing_else() -> None:
    body = {"Debit": Decimal("1234567890.05"), "Credit": Decimal("0.00"), "Note": "\x00dec0\x00"}
    assert json.loads(encode(body), parse_float=Decimal) == body
    assert b'"Debit": 1234567890.05' in encode(body)
    with pytest.raises(ValueError):
        encode({"Debit": Decimal("NaN")})


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, bytes | None]]:
    """Every request the real client sends to the sandbox: method, path, the bytes of its body."""
    seen: list[tuple[str, str, bytes | None]] = []
    send = FortnoxClient._send

    def spy(
        self: FortnoxClient, method: str, url: str, params: dict, content: Any, *kind: Any
    ) -> Any:
        seen.append((method, urlparse(url).path, content))
        return send(self, method, url, params, content, *kind)

    monkeypatch.setattr(FortnoxClient, "_send", spy)
    return seen


@pytest.mark.parametrize("use_order", [False, True], ids=["invoice", "order"])
def test_what_the_client_sends_while_posting_is_what_the_spec_takes(
    app, session, books, receive, wire, use_order: bool
) -> None:
    company = books.company
    company.invoice = company.tip_on_invoice = company.auto_correct = True
    company.use_order = use_order
    session.add(company)
    session.commit()
    receive(company, fixture("cafe-full-day"))
    drain(app, session)
    new_customer = fixture("cafe-full-day", closure_id="opn-7731:S12:R1:Z458", z_number=458)
    new_customer["invoice_sales"][0]["customer_number"] = "7001"  # not in Fortnox: created
    for payload in (fixture("cafe-full-day", revision=2), new_customer):  # a correction, too
        receive(company, payload)
    drain(app, session)
    states = sorted(session.exec(select(Closure.state)).all())
    assert states == [ClosureState.POSTED, ClosureState.POSTED, ClosureState.SUPERSEDED]
    sent = [(method, path, body) for method, path, body in wire if method in ("POST", "PUT")]
    kinds = "orders" if use_order else "invoices"
    assert {(m, spec.template(p)) for m, p, _ in sent} == {
        ("POST", "/3/vouchers"),
        ("POST", f"/3/{kinds}"),
        ("POST", "/3/customers"),
        ("PUT", f"/3/{kinds}/{{DocumentNumber}}/cancel"),
    }
    for method, path, content in sent:
        operation = spec.operation(method, path)
        assert operation is not None, f"{method} {path} is not in Fortnox's specification"
        if content is None:
            assert "requestBody" not in operation.raw, f"{method} {path} takes a body"
            continue
        body = json.loads(content, parse_float=Decimal)
        assert problems(request_schema(method, path), body, "body") == [], (path, body)


def test_the_demo_seeds_voucher_series_body_is_what_the_spec_takes(
    app, session, fortnox_company, wire
) -> None:
    from app.seed import ensure_series

    company = fortnox_company.company
    company.voucher_series = "K"  # not in the sandbox's books: the seed creates it
    session.add(company)
    session.commit()
    with app.app_context():
        ensure_series(session, company)
    ((method, path, content),) = [w for w in wire if w[0] == "POST"]
    body = json.loads(content or b"{}", parse_float=Decimal)
    assert problems(request_schema(method, path), body, "body") == [], body
