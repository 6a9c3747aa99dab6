"""Errors and empty searches answer as recorded from production (reference/recorded.json)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from sandbox.spec import recorded
from tests.sandbox.conftest import Fortnox


def _answer(case: str) -> dict:
    """The recorded response of one case."""
    return recorded(case)[0]["response"]


def _path(case: str) -> str:
    """The recorded request's path and query, without Fortnox's host."""
    uri = urlparse(recorded(case)[0]["request"]["uri"])
    return uri.path + (f"?{uri.query}" if uri.query else "")


@pytest.mark.parametrize(
    "case", ["customers/find_failure", "invoices/find_failure", "orders/find_failure"]
)
def test_an_unknown_document_is_404_in_pascal_case_as_recorded(fortnox: Fortnox, case: str) -> None:
    """404 bodies are PascalCase: Error 1, Message, Code 2000433 | 2000434 | 2000439."""
    response = fortnox.get(_path(case))
    assert response.status_code == 404 == _answer(case)["status"]
    assert response.json == _answer(case)["body"]


@pytest.mark.parametrize("case", ["invoices/filter_invalid", "orders/filter_invalid"])
def test_an_invalid_filter_is_400_code_2000587_in_lower_case(fortnox: Fortnox, case: str) -> None:
    """The invalid-filter 400 keeps lower-case keys (error, message, code)."""
    response = fortnox.get(_path(case))
    assert response.status_code == 400
    assert response.json == _answer(case)["body"]


@pytest.mark.parametrize(
    "case", ["customers/search_miss", "invoices/search_miss", "orders/search_miss"]
)
def test_an_empty_search_has_zero_pages(fortnox: Fortnox, case: str) -> None:
    """@TotalResources 0, @TotalPages 0, @CurrentPage 1 and an empty list."""
    response = fortnox.get(_path(case))
    assert response.status_code == 200 and response.json == _answer(case)["body"]


def test_other_unknown_resources_are_404_in_pascal_case(fortnox: Fortnox) -> None:
    """Every 404 uses the recorded PascalCase keys, whatever the resource."""
    for path in ("/3/accounts/9998", "/3/costcenters/NOPE", "/3/vouchers/A/999", "/3/nothing"):
        response = fortnox.get(path)
        assert response.status_code == 404, path
        assert set(response.json["ErrorInformation"]) == {"Error", "Message", "Code"}
