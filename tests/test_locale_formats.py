"""Amounts, sizes and dates as each reader's locale writes them: in reasons, filters and pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale

from app import i18n
from app.posting import reasons
from app.posting.holds import check_cash_difference
from app.posting.reasons import Reason, encode

NBSP = "\xa0"


def _plain(text: str) -> str:
    return text.replace(NBSP, " ")


@pytest.fixture
def ctx(app):  # type: ignore[no-untyped-def]
    with app.test_request_context():
        yield


CASH = {"cash_count": {"expected": "1000.00", "counted": "660.00"}}


def test_a_cash_difference_is_stored_plain_and_read_as_money(ctx) -> None:  # type: ignore[no-untyped-def]
    hold = check_cash_difference(CASH, Decimal("50.00"), has_note=False)
    assert hold and hold.detail == {"difference": "-340.00", "threshold": "50.00"}
    assert "-340.00" in hold.message  # the stored English of a hold keeps the plain figures
    stored = encode([hold.reason()])
    sv = _plain(reasons.text(stored, "sv"))
    en = _plain(reasons.text(stored, "en"))
    assert "Kassadifferensen −340,00 kr överstiger gränsen på 50,00 kr." in sv
    assert "The cash difference -SEK 340.00 is over the threshold of SEK 50.00." in en


@pytest.mark.parametrize(
    ("reason", "sv", "en"),
    [
        (
            Reason("unbalanced", {"debit": "1200.5", "credit": "1200.00"}),
            "debet 1 200,50 kr, kredit 1 200,00 kr",
            "debit SEK 1,200.50, credit SEK 1,200.00",
        ),
        (
            Reason("document_total", {"actual": "99", "off": "0.4", "expected": "100"}),
            "99,00 kr",
            "Total SEK 99.00 (round-off SEK 0.40), expected SEK 100.00",
        ),
        (
            Reason("tip_on_invoice_not_allowed", {"reference": "R1", "tip": "25.00"}),
            "25,00 kr",
            "carries a tip of SEK 25.00",
        ),
    ],
)
def test_every_amount_of_a_reason_reads_in_the_locale(ctx, reason, sv, en) -> None:  # type: ignore[no-untyped-def]
    stored = encode([reason])
    assert sv in _plain(reasons.text(stored, "sv"))
    assert en in _plain(reasons.text(stored, "en"))


def test_old_prose_reads_its_amounts_anew(ctx) -> None:  # type: ignore[no-untyped-def]
    old = "The cash difference -340.00 is over the threshold of 50.00."
    assert "−340,00 kr" in _plain(reasons.text(old, "sv"))


def test_a_detail_that_is_not_a_number_stays_as_it_is(ctx) -> None:  # type: ignore[no-untyped-def]
    stored = encode([Reason("document_vat", {"actual": "n/a", "expected": "12.00"})])
    assert _plain(reasons.text(stored, "en")) == "VAT n/a, expected SEK 12.00"


@pytest.mark.parametrize(
    ("language", "money", "number", "sizes"),
    [
        ("sv", "−1 820,50 kr", "−1 234,50", ["512 B", "12,5 kB", "1,2 MB", "3 GB"]),
        ("en", "-SEK 1,820.50", "-1,234.50", ["512 byte", "12.5 kB", "1.2 MB", "3 GB"]),
    ],
)
def test_money_numbers_and_file_sizes(ctx, language, money, number, sizes) -> None:  # type: ignore[no-untyped-def]
    with force_locale(language):
        assert _plain(i18n.money(Decimal("-1820.5"))) == money
        assert _plain(i18n.number("-1234.5")) == number
        got = [i18n.filesize(n) for n in (512, 12800, 1258291, 3 * 1024**3)]
        assert [_plain(s) for s in got] == sizes
        assert i18n.filesize(None) == "" and i18n.money(None) == ""


@pytest.mark.parametrize("language", ["sv", "en"])
def test_dates_are_iso_or_the_locales_never_us(ctx, language) -> None:  # type: ignore[no-untyped-def]
    with force_locale(language):
        assert i18n.date(date(2026, 10, 1), "short") == "2026-10-01"
        moment = i18n.datetime_(datetime(2026, 10, 1, 13, 4, tzinfo=UTC))  # 15:04 in Stockholm
        assert moment.startswith("2026-10-01") and "15:04" in moment and "PM" not in moment
        medium = i18n.date(date(2026, 10, 1))
        assert medium == ("1 okt. 2026" if language == "sv" else "1 Oct 2026")


def test_flask_babels_own_date_filters_write_no_us_dates(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        env = app.jinja_env
        day = env.from_string("{{ d|dateformat('short') }}").render(d=date(2026, 10, 1))
        moment = datetime(2026, 10, 1, 13, 4, tzinfo=UTC)
        at = env.from_string("{{ d|datetimeformat('short') }}").render(d=moment)
        assert day == "2026-10-01" and at.startswith("2026-10-01") and "/" not in at


@pytest.mark.parametrize(
    ("language", "cash_difference", "place"),
    [
        ("sv", "Kassadifferens", "Övriga kategorier › Kassadifferens"),
        ("en", "Cash difference", "Other categories › Cash difference"),
    ],
)
def test_codes_read_as_words(ctx, language, cash_difference, place) -> None:  # type: ignore[no-untyped-def]
    from app.words import code_label, pointer_place

    other = Reason("unmapped_other", {"category": "CASH_DIFFERENCE"})
    method = Reason("unmapped_payment_method", {"method": "AMEX"})
    said = reasons.text(encode([other, method]), language)
    assert cash_difference in said and "CASH_DIFFERENCE" not in said
    assert "AMEX" in said  # the POS's own code has no other name
    with force_locale(language):
        assert pointer_place("/other/CASH_DIFFERENCE") == place
        assert pointer_place("/lines/0/vat") == "/lines/0/vat"  # not a mapping's: as it is
        assert code_label("CARD") not in ("CARD", "") and code_label("AMEX") == "AMEX"


def test_a_pdf_asks_for_its_own_language_without_a_request() -> None:
    """The report's PDF is built by a job: it names its language (no reader, no request)."""
    assert _plain(i18n.money(Decimal("-340"), locale="sv")) == "−340,00 kr"
    assert _plain(i18n.money(Decimal("-340"), locale="en")) == "-SEK 340.00"
    assert _plain(i18n.number("13400", locale="sv")) == "13 400,00"
    assert i18n.number("13400", locale="en") == "13,400.00"
    assert _plain(i18n.filesize(1258291, locale="sv")) == "1,2 MB"
