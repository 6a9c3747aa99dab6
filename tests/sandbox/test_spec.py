"""The vendored Fortnox references load, and paths resolve to the documented operations."""

from __future__ import annotations

import pytest

from sandbox import spec


def test_the_references_are_vendored_with_their_source() -> None:
    """openapi.json (233 paths), recorded.json (18 exchanges) and a README naming both sources."""
    assert len(spec.document()["paths"]) == 233
    assert len(spec.recorded()) == 18
    readme = (spec.REFERENCE / "README.md").read_text(encoding="utf-8")
    assert "anikghosh256/fortnox-doc-mcp (MIT)" in readme and "accodeing/fortnox-api" in readme


@pytest.mark.parametrize(
    ("method", "path", "template"),
    [
        ("GET", "/3/orders/", "/3/orders"),
        ("GET", "/3/orders/17", "/3/orders/{DocumentNumber}"),
        ("PUT", "/3/orders/17/createinvoice", "/3/orders/{DocumentNumber}/createinvoice"),
        ("GET", "/3/vouchers/sublist/A", "/3/vouchers/sublist/{VoucherSeries}"),
        ("GET", "/3/vouchers/A/12", "/3/vouchers/{VoucherSeries}/{VoucherNumber}"),
    ],
)
def test_a_concrete_path_finds_its_template(method: str, path: str, template: str) -> None:
    """Literal segments win over parameters (sublist/A is not series "sublist", number "A")."""
    found = spec.operation(method, path)
    assert found is not None and found.template == template


def test_unknown_paths_and_methods_have_no_operation() -> None:
    """A path or method the document does not have answers None."""
    assert spec.operation("GET", "/3/nothing-here") is None
    assert spec.operation("DELETE", "/3/vouchers/A/1") is None


def test_query_parameters_and_response_schemas_come_from_the_document() -> None:
    """GET /3/orders cannot search yourordernumber; GET /3/invoices can; schemas resolve $ref."""
    orders = spec.operation("GET", "/3/orders")
    invoices = spec.operation("GET", "/3/invoices")
    assert orders is not None and invoices is not None
    assert "externalinvoicereference1" in orders.query_params()
    assert "yourordernumber" not in orders.query_params()
    assert "yourordernumber" in invoices.query_params()
    item = spec.resolve(spec.props(orders.response_schema())["Orders"]["items"])
    assert "YourOrderNumber" not in item["properties"] and "Total" in item["properties"]
    made = spec.operation("PUT", "/3/orders/1/createinvoice")
    assert made is not None and list(spec.props(made.response_schema())) == ["Invoice"]
