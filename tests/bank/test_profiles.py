"""Each shipped settlement profile reads a file written from its public column description."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.bank.profiles import ProfileProblems, check_profile, shipped_profiles
from app.bank.settlement_csv import parse_settlement
from app.bank.xmlread import FileRefused
from tests.bank.conftest import settlement_file

D = Decimal


def read(profile: str, name: str) -> list:
    """The fixture read through a shipped profile."""
    return parse_settlement(settlement_file(name), shipped_profiles()[profile])


def test_adyen_settlement_details_report() -> None:
    lines = read("adyen", "adyen-settlement-details.csv")
    assert [line.kind for line in lines] == ["sale", "sale", "refund", "fee", "payout"]
    visa = lines[0]
    assert (visa.transaction_date, visa.store, visa.payment_method) == (
        date(2026, 11, 24),
        "S12",
        "visa",
    )
    assert (visa.gross, visa.fee, visa.net) == (D("1250.00"), D("13.75"), D("1236.25"))
    assert (visa.payout_reference, visa.reference, visa.currency) == (
        "412",
        "8815000000000001",
        "SEK",
    )
    refund = lines[2]
    assert (refund.gross, refund.net, refund.store) == (D("-120.00"), D("-120.60"), "S14")
    assert (lines[3].fee, lines[3].net) == (D("25.00"), D("-25.00"))
    payout = lines[4]
    assert (payout.gross, payout.fee, payout.net) == (D(0), D(0), D("-1387.35"))
    assert sum(line.net for line in lines[:4]) == -payout.net


def test_adyen_without_the_optional_store_column() -> None:
    raw = settlement_file("adyen-settlement-details.csv")
    cut = b"\n".join(line.rsplit(b",", 1)[0] for line in raw.splitlines())
    lines = parse_settlement(cut, shipped_profiles()["adyen"])
    assert {line.store for line in lines} == {""} and len(lines) == 5


def test_swedbank_pay_transaction_list() -> None:
    lines = read("swedbank-pay", "swedbank-pay-transaction-list-v2.csv")
    assert [(line.kind, line.gross) for line in lines] == [
        ("sale", D("1250.00")),
        ("sale", D("300.00")),
        ("refund", D("-120.00")),
    ]
    assert {(line.fee, line.net) for line in lines} == {(None, None)}  # fees: the balance report
    assert {line.payout_reference for line in lines} == {"900123"}
    assert (lines[0].store, lines[0].payment_method, lines[0].reference) == (
        "S12",
        "Visa",
        "40126000001",
    )


def test_zettle_finance_transactions() -> None:
    lines = read("zettle", "zettle-finance-transactions.csv")
    assert [line.kind for line in lines] == ["sale", "fee", "refund", "fee", "payout"]
    assert (lines[0].gross, lines[0].net) == (D("1250.00"), D("1250.00"))  # öre to kronor
    assert (lines[1].fee, lines[1].net) == (D("23.13"), D("-23.13"))
    # 23:30 UTC on the 24th is the 25th in Sweden.
    assert lines[2].transaction_date == date(2026, 11, 25) and lines[2].gross == D("-351.00")
    assert lines[4].net == D("-882.36")
    assert sum(line.net for line in lines[:4]) == -lines[4].net


def test_worldline_e_statement_skips_its_totals() -> None:
    lines = read("worldline", "worldline-e-statement.csv")
    assert [(line.line_no, line.gross, line.fee, line.net) for line in lines] == [
        (5, D("1250.00"), D("10.00"), D("1240.00")),
        (6, D("300.00"), D("2.40"), D("297.60")),
    ]
    assert {(line.store, line.payment_method, line.payout_date) for line in lines} == {
        ("10293847", "VI", date(2026, 11, 26))
    }


def test_a_bad_row_is_named_by_row_and_column() -> None:
    raw = settlement_file("worldline-e-statement.csv").replace(
        b"24.11.2026;300,00", b"2026-11-24;3OO,00"
    )
    with pytest.raises(FileRefused) as caught:
        read_raw = parse_settlement(raw, shipped_profiles()["worldline"])  # noqa: F841
    problems = caught.value.problems
    assert [(p.where, p.line) for p in problems] == [
        ("row 6, Trx Date", 6),
        ("row 6, Gross Amount", 6),
    ]
    assert "'2026-11-24' is not a date as profile worldline writes them (%d.%m.%Y)" in (
        problems[0].message
    )
    assert "'3OO,00' is not an amount as profile worldline writes them (like 1 250,00)" in (
        problems[1].message
    )


def test_a_file_in_another_encoding_is_refused() -> None:
    raw = "UID;Merchant Name\n1;Café\n".encode("utf-16")
    with pytest.raises(FileRefused) as caught:
        parse_settlement(raw, shipped_profiles()["worldline"])
    assert "is not utf-8 text" in caught.value.problems[0].message


def test_a_profile_is_checked_before_it_is_used() -> None:
    with pytest.raises(ProfileProblems) as caught:
        check_profile(
            "Nets SE",
            {
                "delimiter": ";;",
                "decimal": ";",
                "date_format": "dd.mm",
                "columns": {"terminal": "TID"},
                "types": {"110": "sales"},
            },
        )
    assert caught.value.problems == [
        "The name must be 2–40 lower-case letters, digits, - or _ (e.g. nets-se).",
        "The delimiter must be one character, such as , ; or a tab (\\t).",
        "The decimal mark must be . or ,.",
        "The date format must be iso or use strftime codes, such as %Y-%m-%d or %d.%m.%Y.",
        "Unknown fields: terminal.",
        "Name the column that holds the transaction date.",
        "Name the gross amount column(s), or one amount column with a type column.",
        "Types map to sale, refund, fee, payout, other or skip, not sales.",
    ]


def test_a_headerless_profile_names_columns_by_position() -> None:
    data = {
        "header": False,
        "columns": {"transaction_date": "#2", "type": "#1"},
        "money": {"gross": ["#3"]},
        "types": {"01": "skip", "02": "sale", "03": "skip"},
    }
    profile = check_profile("swish-records", data)
    raw = b"01,header\n02,2026-11-24,150.00\n02,2026-11-24,-50.00\n03,2\n"
    lines = parse_settlement(raw, profile)
    assert [(line.line_no, line.kind, line.gross) for line in lines] == [
        (2, "sale", D("150.00")),
        (3, "refund", D("-50.00")),
    ]
    with pytest.raises(ProfileProblems):
        check_profile("named", {**data, "columns": {"transaction_date": "Date"}})
