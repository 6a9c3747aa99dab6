"""camt.053 read into lines: every version, batched entries, published samples, hostile files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.bank.camt053 import parse_statement_file
from app.bank.camt_write import Ntry, Tx, statement
from app.bank.xmlread import FileRefused
from tests.bank.camt_builder import day_statement

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "camt053"


def refused(raw: bytes) -> list:
    """The problems a refused file is answered with."""
    with pytest.raises(FileRefused) as caught:
        parse_statement_file(raw)
    return caught.value.problems


@pytest.mark.parametrize("version", range(2, 9))
def test_each_version_reads_the_same_day(version: int) -> None:
    parsed = parse_statement_file(day_statement(version))
    assert parsed.version == f"camt.053.001.0{version}"
    (stmt,) = parsed.statements
    assert (stmt.statement_id, stmt.account, stmt.currency) == (
        "STMT-2026-11-26",
        "SE4550000000058398257466",
        "SEK",
    )
    assert stmt.opening_balance == Decimal("1000.00")
    assert stmt.closing_balance == Decimal("2838.35")
    assert stmt.from_at.utcoffset().total_seconds() == 3600
    payout, swish1, swish2, fee = stmt.entries
    assert (payout.signed_amount, payout.account_servicer_ref, payout.end_to_end_id) == (
        Decimal("1387.35"),
        "ADYEN-412",
        "TX4711",
    )
    assert payout.remittance == "ADYEN PAYOUT BATCH 412" and payout.counterparty == "Adyen N.V."
    assert payout.bank_transaction_code == "PMNT/RCDT/ESCT" and payout.status == "BOOK"
    # The batched Swish entry is two lines, each with its own amount and references.
    assert [(e.entry_no, e.tx_no, e.tx_count) for e in (swish1, swish2)] == [(2, 1, 2), (2, 2, 2)]
    assert [e.amount for e in (swish1, swish2)] == [Decimal("200.00"), Decimal("300.00")]
    assert swish2.creditor_reference == "123456789" and swish2.counterparty == "Kund Två"
    assert swish1.entry_reference == "N2" and swish1.account_servicer_ref == "SWISH-0001"
    assert (fee.credit_debit, fee.signed_amount, fee.remittance) == (
        "DBIT",
        Decimal("-49.00"),
        "Månadsavgift",
    )
    assert str(fee.booking_date) == "2026-11-26" and str(fee.value_date) == "2026-11-26"
    assert sum(e.signed_amount for e in stmt.entries) == stmt.closing_balance - Decimal("1000.00")


def test_a_batch_whose_transactions_do_not_add_up_stays_one_line() -> None:
    raw = statement([Ntry("500.00", txs=[Tx(Decimal("200.00")), Tx(Decimal("299.00"))])])
    (entry,) = parse_statement_file(raw).statements[0].entries
    assert (entry.amount, entry.tx_no, entry.tx_count) == (Decimal("500.00"), 0, 1)


def test_a_batch_without_transaction_amounts_stays_one_line() -> None:
    raw = statement([Ntry("500.00", txs=[Tx(text="a"), Tx(text="b")])], version=4)
    (entry,) = parse_statement_file(raw).statements[0].entries
    assert entry.amount == Decimal("500.00") and entry.remittance == ""


@pytest.mark.parametrize(
    ("name", "version", "statements", "entries"),
    [
        ("genkgo-camt053.v2.minimal.xml", "camt.053.001.02", 1, 1),
        ("genkgo-camt053.v2.multi.statement.xml", "camt.053.001.02", 2, 2),
        ("genkgo-camt053.v3.xml", "camt.053.001.03", 1, 1),
        ("genkgo-camt053.v4.xml", "camt.053.001.04", 1, 1),
        ("genkgo-camt053.v8.xml", "camt.053.001.08", 1, 1),
        ("genkgo-camt53.only-Dt-with-DtTm.xml", "camt.053.001.02", 1, 0),
        ("subite-LT625883379695428516-2024-03-07.xml", "camt.053.001.08", 2, 3),
    ],
)
def test_published_samples(name: str, version: str, statements: int, entries: int) -> None:
    parsed = parse_statement_file((SAMPLES / name).read_bytes())
    assert (parsed.version, len(parsed.statements), parsed.entry_count) == (
        version,
        statements,
        entries,
    )


def test_published_samples_values() -> None:
    v8 = parse_statement_file((SAMPLES / "genkgo-camt053.v8.xml").read_bytes())
    (entry,) = v8.statements[0].entries
    assert (entry.amount, entry.credit_debit, str(entry.booking_date)) == (
        Decimal("8.85"),
        "CRDT",
        "2014-12-31",
    )  # booked as a DtTm at 13:15+01:00
    assert v8.statements[0].account == "NL26VAYB8060476890"  # an <Othr><Id>, not an IBAN
    lt = parse_statement_file((SAMPLES / "subite-LT625883379695428516-2024-03-07.xml").read_bytes())
    debit = lt.statements[0].entries[1]
    assert (debit.signed_amount, debit.booking_date, debit.bank_transaction_code) == (
        Decimal("-0.20"),
        None,
        "ATSISK",
    )


def test_a_file_without_statements_is_refused() -> None:
    (problem,) = refused((SAMPLES / "genkgo-camt053.v2.wrong.xml").read_bytes())
    assert problem.where == "BkToCstmrStmt" and problem.line == 3
    assert "no statement" in problem.message


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>&xxe;
</BkToCstmrStmt></Document>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol3;</Document>"""


@pytest.mark.parametrize("raw", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_hostile_files_are_refused_at_their_doctype(raw: bytes) -> None:
    (problem,) = refused(raw)
    assert problem.where == "DOCTYPE" and problem.line == 2
    assert "DOCTYPE" in problem.message and "/etc/passwd" not in problem.message


def test_a_bare_doctype_is_refused_too() -> None:
    raw = b'<?xml version="1.0"?>\n<!DOCTYPE Document>\n' + day_statement().split(b"\n", 1)[1]
    (problem,) = refused(raw)
    assert problem.where == "DOCTYPE"


def test_not_well_formed_names_line_and_column() -> None:
    raw = day_statement().replace(b"</Stmt>", b"</Stmnt>")
    (problem,) = refused(raw)
    assert problem.line == 6 and "not well-formed XML (mismatched tag) at line 6" in problem.message


def test_an_entry_with_bad_parts_names_each_by_element_and_line() -> None:
    raw = statement([Ntry("12,50"), Ntry("1.005"), Ntry("3.00", side="CRED")], statement_id="S-bad")
    problems = refused(raw)
    assert [p.where for p in problems[:3]] == [
        "Stmt[1]/Ntry[1]/Amt",
        "Stmt[1]/Ntry[2]/Amt",
        "Stmt[1]/Ntry[3]/CdtDbtInd",
    ]
    assert all(p.line == 5 for p in problems[:3])  # the entries' line; the balances' too
    assert problems[3].where == "Stmt[1]/Bal[2]/Amt"  # the builder summed 1.005 into it
    assert "'12,50' is not a number like 1250.00" in problems[0].message
    assert "parts of an öre" in problems[1].message
    assert "must be CRDT (money in) or DBIT (money out)" in problems[2].message


def test_other_messages_are_named() -> None:
    camt054 = day_statement().replace(b"camt.053.001.02", b"camt.054.001.02")
    assert "The file is camt.054.001.02" in refused(camt054)[0].message
    assert "root element is {urn:x}Invoice" in refused(b'<Invoice xmlns="urn:x"/>')[0].message
    raw = day_statement()
    one = raw[raw.index(b"<Stmt>") : raw.index(b"</Stmt>") + len(b"</Stmt>")]
    twice = raw.replace(one, one + one)
    assert "appears twice" in refused(twice)[0].message
    assert refused(b"")[0].message.startswith("The file is not well-formed XML")
