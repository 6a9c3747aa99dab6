"""Places in a mapping read as words where a person reads them, never payment_methods · AMEX."""

from __future__ import annotations

from types import SimpleNamespace

from flask import render_template
from flask_babel import force_locale


def test_a_refused_account_names_its_place_in_words(app) -> None:  # type: ignore[no-untyped-def]
    refused = SimpleNamespace(
        section="other", key="CASH_DIFFERENCE", number="9999", message="Saknas.", nearest=[]
    )
    with app.test_request_context(), force_locale("sv"):
        html = render_template("mapping/_refused.html", refused=[refused])
    assert "Övriga kategorier › Kassadifferens → <code>9999</code>" in html
    assert "other · CASH_DIFFERENCE" not in html


def test_a_compared_key_reads_as_its_place(app) -> None:  # type: ignore[no-untyped-def]
    rows = [SimpleNamespace(key="payment_methods/CARD", change="changed", old="1580", new="1581")]
    with app.test_request_context(), force_locale("en"):
        html = render_template("mapping/_diff.html", rows=rows, diff=rows, a=1, b=2)
    assert "Payment methods › Card" in html and "payment_methods/CARD" not in html
