"""What reconciling finds is stored as codes and details and read in the reader's language."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from flask_babel import force_locale

from app.fortnox.errors import AuthLost, Retryable
from app.posting.reasons import decode, english, render, retryable
from app.reconcile.compare import compare_closure
from app.reconcile.day import compare_store_day
from app.reconcile.facts import Book, FxRow, FxVoucher
from app.reconcile.jobs import in_words
from app.reconcile.service import problem_of
from tests.reconcile.helpers import (
    draft,
    expected_documents,
    facts,
    invoice_of,
    payload,
    voucher_of,
)


def _mismatch():  # type: ignore[no-untyped-def]
    f = facts()
    rows = [FxRow(r.account, r.cost_center, r.debit, r.credit) for r in f.expected.rows]
    rows[0] = replace(rows[0], debit=rows[0].debit + Decimal("10.00"))
    rows.append(FxRow("3001", "S12", Decimal("0"), Decimal("10.00")))
    return compare_closure(f, Book([voucher_of(f.expected, rows=tuple(rows))]))


def _invoiced(**change):  # type: ignore[no-untyped-def]
    data = payload()
    docs = expected_documents(data)
    f = facts(data, expected=draft(data, invoice=True), documents=docs)
    book = Book([voucher_of(f.expected)], [invoice_of(docs[0], **change)])
    return compare_closure(f, book), docs[0].reference


def _sie():  # type: ignore[no-untyped-def]
    f = facts()
    sie = voucher_of(f.expected, 7, description="Dagskassa", series="I")
    return compare_closure(f, Book([voucher_of(f.expected), sie]))


def _manual_day():  # type: ignore[no-untyped-def]
    f = facts()
    rows = (
        FxRow("1910", "S12", Decimal("0"), Decimal("120.00")),
        FxRow("5460", "S12", Decimal("120.00"), Decimal("0")),
    )
    manual = FxVoucher("A", 9, 1, f.business_date, "Kaffe", "MANUAL", rows)
    book = Book([voucher_of(f.expected), manual])
    return compare_store_day("S12", "S12", f.business_date, [(f, compare_closure(f, book))], book)


def _unbuilt(error: str):  # type: ignore[no-untyped-def]
    return compare_closure(facts(expected=None, expected_error=error), Book())


# name -> (result, its code, Swedish, English), each with its details in the words.
CASES = {
    "rows_differ": (
        _mismatch,
        "Raderna skiljer sig på konto 1910, 3001.",
        "Rows differ on account 1910, 3001.",
    ),
    "voucher_missing": (
        lambda: compare_closure(facts(), Book(missing={("A", 1, 1)})),
        "Verifikation A 1 finns inte i Fortnox.",
        "Voucher A 1 is not in Fortnox.",
    ),
    "not_read_back": (
        lambda: compare_closure(facts(), Book()),
        "Bokförd; inte avläst från Fortnox ännu.",
        "Posted; not read back from Fortnox yet.",
    ),
    "duplicate_key": (
        lambda: compare_closure(facts(), Book([voucher_of(facts().expected, n) for n in (1, 2)])),
        "Mer än en verifikation har denna nyckel: A 1, A 2.",
        "More than one voucher carries this key: A 1, A 2.",
    ),
    "booked_outside": (
        _sie,
        "Bokförd igen utanför Kassabok (samma butik, dag och belopp): I 7.",
        "Booked again outside Kassabok (same store, day and amounts): I 7.",
    ),
    "nothing_to_book": (
        lambda: compare_closure(facts(nothing_to_book=True, voucher=None), Book()),
        "Inget att bokföra.",
        "Nothing to book.",
    ),
    "correction_due_after_posting": (
        lambda: compare_closure(facts(correction_due=True), Book()),
        "En nyare revision kom efter bokföringen; en rättelse behövs.",
        "A newer revision arrived after posting; a correction is due.",
    ),
    "expected_unbuildable": (
        lambda: _unbuilt("no mapping"),
        "Den förväntade verifikationen kan inte skapas: Företaget har ingen kontering ännu.",
        "The expected voucher cannot be built: The company has no account mapping yet.",
    ),
    "day_differs": (
        _manual_day,
        "Fortnox har andra belopp på kostnadsställe S12 för denna dag: 1910, 5460.",
        "Fortnox holds other amounts on cost center S12 for this day: 1910, 5460.",
    ),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_finding_is_stored_as_its_code_and_read_in_either_language(app, code) -> None:
    make, sv, en = CASES[code]
    stored = make().reason
    assert [item["code"] for item in json.loads(stored)] == [code]
    with force_locale("sv"):
        assert [s.message for s in render(stored)] == [sv]
    assert english(stored) == en
    with force_locale("sv"):  # the API's words do not follow the request's language
        assert english(stored) == en


def test_a_missing_invoice_says_which_in_swedish(app) -> None:
    data = payload()
    docs = expected_documents(data)
    f = facts(data, expected=draft(data, invoice=True), documents=docs)
    result = compare_closure(
        f, Book([voucher_of(f.expected)], missing_documents={("invoice", "1")})
    )
    with force_locale("sv"):
        said = render(result.reason)[0].message
    assert said == f"Faktura {docs[0].reference} finns inte i Fortnox."
    assert english(result.reason) == f"Invoice {docs[0].reference} is not in Fortnox."


def test_an_invoice_that_differs_names_each_problem_in_swedish(app) -> None:
    result, ref = _invoiced(total=Decimal("1100"), vat=Decimal("99.00"))
    assert result.status == "mismatch" and json.loads(result.reason)[0]["code"] == "invoice_differs"
    with force_locale("sv"):
        said = render(result.reason)[0].message
        problems = [s.message for s in render(list(result.documents[0].problems))]
    nbsp = "\xa0"  # amounts as a Swedish reader writes them: 1 100,00 kr
    assert said.startswith(f"Fakturan skiljer sig: {ref} skiljer sig: Summa 1{nbsp}100,00{nbsp}kr ")
    assert f"Moms 99,00{nbsp}kr, förväntat" in said and "Total" not in said
    assert problems[0].startswith(f"Summa 1{nbsp}100,00{nbsp}kr (öresavrundning")
    assert problems[1].startswith("Moms")
    english_said = english(result.reason)
    assert english_said.startswith(f"Invoice differs: {ref} differs: Total SEK{nbsp}1,100.00 ")
    cancelled, ref = _invoiced(cancelled=True)
    with force_locale("sv"):
        assert render(cancelled.reason)[0].message == f"Fakturan skiljer sig: {ref}: makulerad"


def test_an_expected_voucher_held_by_the_builder_reads_its_hold_in_swedish(app) -> None:
    result = _unbuilt(
        "Payment method AMEX has no account in the mapping.; "
        "Output VAT at 6 % has no account in the mapping."
    )
    with force_locale("sv"):
        said = render(result.reason)[0].message
    assert said.startswith("Den förväntade verifikationen kan inte skapas: Betalsättet AMEX ")
    assert "6 %" in said and "has no account" not in said
    store = _unbuilt("store S12 has no cost center")  # the reconcile loader's own English
    with force_locale("sv"):
        assert render(store.reason)[0].message.endswith(": Butik S12 har inget kostnadsställe.")
    odd = _unbuilt("something nobody wrote down")  # kept as it is, never lost
    with force_locale("sv"):
        assert render(odd.reason)[0].message.endswith(": something nobody wrote down")


OLD_PROSE = [
    (
        "Rows differ on account 1910, 3001.",
        "rows_differ",
        "Raderna skiljer sig på konto 1910, 3001.",
    ),
    (
        "Voucher A 12 is not in Fortnox.",
        "voucher_missing",
        "Verifikation A 12 finns inte i Fortnox.",
    ),
    (
        "More than one voucher carries this key: A 1, A 2.",
        "duplicate_key",
        "Mer än en verifikation har denna nyckel: A 1, A 2.",
    ),
    (
        "Posted; not read back from Fortnox yet.",
        "not_read_back",
        "Bokförd; inte avläst från Fortnox ännu.",
    ),
    (
        "Fortnox holds other amounts on cost center S12 for this day: 5460.",
        "day_differs",
        "Fortnox har andra belopp på kostnadsställe S12 för denna dag: 5460.",
    ),
]


@pytest.mark.parametrize(("old", "code", "sv"), OLD_PROSE)
def test_findings_stored_as_english_prose_still_read_in_swedish(app, old, code, sv) -> None:
    assert [r.code for r in decode(old)] == [code]
    with force_locale("sv"):
        assert render(old)[0].message == sv
    assert english(old) == old


def test_a_runs_line_reads_in_the_readers_language(app) -> None:
    fault = retryable(Retryable("Bad Gateway", status=502))
    result = {"text": "English", "closures": {"matched": 40, "mismatch": 2}, "requests": 7}
    with app.test_request_context(), force_locale("sv"):
        got = in_words({**result, "error": "Bad Gateway [HTTP 502]", "problem": fault})["text"]
        lost = in_words({**result, "problem": problem_of(AuthLost("token revoked"))})["text"]
    assert got == (
        "Dagsavslut: Avstämd 40, Avvikelse 2; 7 anrop till Fortnox. Fortnox lästes inte: "
        "Fortnox hade ett tillfälligt fel (HTTP 502). (Bad Gateway)"
    )
    assert lost.endswith("Fortnox lästes inte: Fortnox-anslutningen bruten — anslut igen.")
    with app.test_request_context(), force_locale("en"):
        assert (
            in_words(result)["text"] == "Closures: Matched 40, Mismatch 2; 7 requests to Fortnox."
        )
    assert in_words("matched") == "matched"  # a cell's job answers its status: as it is
