"""A voucher row's English text (as Fortnox keeps it) reads in the reader's language."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.posting.labels import row_label
from app.posting.row_texts import LABELS


@pytest.mark.parametrize(
    ("stored", "swedish"),
    [
        ("Payment CARD", "Betalning: Kort"),
        ("Payment GIFT_CARD", "Betalning: Presentkort (inlöst)"),
        ("Payment AMEX", "Betalning: AMEX"),  # the POS's own code, as the mapping names it
        ("Payment CARD, Payment AMEX", "Betalning: Kort, Betalning: AMEX"),  # one account
        ("Sales FOOD 12 %", "Försäljning FOOD 12 %"),
        ("Sales SOFT DRINKS 25 %", "Försäljning SOFT DRINKS 25 %"),
        ("Output VAT 6 %", "Utgående moms 6 %"),
        ("Tips", "Dricks"),
        ("Cash difference", "Kassadifferens"),
        ("Rounding", "Öresavrundning"),
    ],
)
def test_swedish_reader_reads_swedish(app, stored: str, swedish: str) -> None:
    with app.test_request_context(), force_locale("sv"):
        assert row_label(stored) == swedish


def test_english_and_unknown_text_stay_as_they_are(app) -> None:
    with app.test_request_context():
        with force_locale("en"):
            assert row_label("Payment CARD") == "Payment Card"  # no raw code where a person reads
            assert row_label("Sales FOOD 12 %") == "Sales FOOD 12 %"
        with force_locale("sv"):
            assert row_label("Dagskassa S12") == "Dagskassa S12"  # typed in Fortnox by a person
            assert row_label("") == ""


def test_every_label_the_builder_writes_has_a_swedish_reading(app) -> None:
    with app.test_request_context(), force_locale("sv"):
        for english in LABELS:
            sample = english.format(*["X"] * english.count("{"))
            assert row_label(sample) != sample, english
