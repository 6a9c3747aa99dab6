"""Fortnox's error bodies parsed in any key case and worded with the fix."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale

from app.fortnox.errors import NeedsAction, error_information
from app.fortnox.messages import explain


@pytest.mark.parametrize(
    "body",
    [
        {"ErrorInformation": {"error": 1, "message": "Låst period", "code": 2000401}},
        {"errorinformation": {"Error": 1, "Message": "Låst period", "Code": "2000401"}},
    ],
)
def test_error_information_any_case(body: dict) -> None:
    assert error_information(body) == ("Låst period", 2000401)


@pytest.mark.parametrize("body", [None, "plain text", {"Vouchers": []}, {"ErrorInformation": 3}])
def test_error_information_tolerates_other_bodies(body: object) -> None:
    assert error_information(body) == ("", None)


def test_messages_by_code_then_status(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        locked, fix = explain(2000401, 400)
        assert "locked" in locked and "Unlock" in fix
        assert explain(999, 404)[0] == explain(None, 404)[0]
        assert explain(None, 418)[0]


def test_human_is_translated(app: Flask) -> None:
    err = NeedsAction("Konto 3001 kräver kostnadsställe.", status=400, code=2000946)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask import session

        session["locale"] = "en"
        english = err.human()
    assert "cost center" in english and "Konto 3001" in english
