"""Fortnox's refusals: its own words kept, whatever their shape; nothing keyed on invented codes."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from flask import Flask
from flask_babel import force_locale

from app.fortnox.client import _plain
from app.fortnox.errors import NeedsAction, error_information
from sandbox.errors import ERRORS

APP = Path(__file__).resolve().parents[2] / "app"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"message": "unauthorized"}, "unauthorized"),  # recorded: an expired bearer token
        (
            {"error": "invalid_grant", "error_description": "Invalid refresh token"},
            "Invalid refresh token",
        ),
        (
            {"ErrorInformation": {"error": 1, "message": "Ogiltigt filter.", "code": 2000587}},
            "Ogiltigt filter.",
        ),
        ({"Vouchers": []}, ""),
    ],
)
def test_fortnoxs_words_are_found_in_every_recorded_shape(body: dict, said: str) -> None:
    assert error_information(body)[0] == said


def test_a_non_json_error_body_is_kept_as_short_plain_text() -> None:
    html = "<html><body><h1>400 Bad Request</h1><p>Request   header too large</p></body></html>"
    resp = httpx.Response(400, headers={"Content-Type": "text/html"}, text=html)
    assert _plain(resp) == "400 Bad Request Request header too large"
    long = httpx.Response(400, headers={"Content-Type": "text/plain"}, text="x" * 1000)
    assert len(_plain(long)) == 300 and _plain(long).endswith("…")
    assert _plain(httpx.Response(400, json={"a": 1})) == ""


def test_an_unknown_refusal_reads_as_fortnoxs_words_in_the_readers_frame(app: Flask) -> None:
    unknown = NeedsAction("Konto 3001 tillåter inte kostnadsställe.", status=400, code=2009105)
    known = NeedsAction("Konto 3001 kräver kostnadsställe.", status=400, code=2000946)
    silent = NeedsAction("Fortnox refused the data.", status=400)  # Kassabok's own stand-in
    with app.test_request_context():
        with force_locale("sv"):
            assert unknown.human().startswith(
                "Fortnox avvisade: ”Konto 3001 tillåter inte kostnadsställe.”"
            )
            assert "kostnadsställe" in known.human() and "”" not in known.human()
            assert "”" not in silent.human()
        with force_locale("en"):
            assert unknown.human().startswith(
                "Fortnox refused: “Konto 3001 tillåter inte kostnadsställe.”"
            )
            assert silent.human().startswith("Fortnox refused: Fortnox refused the data.")


def test_no_app_code_keys_on_an_error_code_the_sandbox_invented() -> None:
    """The sandbox marks the codes it made up; Fortnox may answer anything else for those cases."""
    invented = {str(e.code) for e in ERRORS.values() if e.simulated}
    assert invented, "the sandbox's table lists its invented codes"
    for path in APP.rglob("*.py"):
        numbers = set(re.findall(r"\b\d{7}\b", path.read_text(encoding="utf-8")))
        assert not numbers & invented, f"{path.relative_to(APP.parent)}: {numbers & invented}"
