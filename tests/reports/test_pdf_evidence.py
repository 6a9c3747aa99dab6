"""The PDF's Z-chain and VAT sections: a jump, a gap, an explained gap, a VAT deviation."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session

from app.evidence import breaks, tieout
from app.i18n import number
from app.reports.data import Scope
from app.reports.fingerprint import current
from app.reports.pdf import build_pdf
from tests.evidence.test_vat_sandbox import last_month
from tests.factories import make_user
from tests.posting.conftest import _app_context, receive  # noqa: F401
from tests.posting.sandbox_support import day_closure, drain
from tests.reconcile.conftest import fx  # noqa: F401
from tests.reports.test_pdf import pdf_text

D = Decimal
JUMP, SOLD = D("250.00"), D("1234.56")  # sales the register counted that never reached Kassabok


@dataclass
class Books:
    """The month on the sandbox: what the tills said, and the report's scope."""

    company: Any
    stores: list[Any]
    month: date
    scope: Scope
    payloads: list[dict]
    gt: dict[int, D]  # S12's grand total of sales after each Z


def _sales(payload: dict) -> D:
    return sum((D(line["gross"]) for line in payload["sales"]), D("0.00"))


def _vat(payloads: list[dict], rate: str) -> D:
    lines = [line for p in payloads for line in p["sales"] if line["vat_rate"] == rate]
    return sum((D(line["vat"]) for line in lines), D("0.00"))


@pytest.fixture
def books(app, session: Session, fx, receive) -> Books:  # noqa: F811
    """S12 R1: Z101, a 250.00 jump at Z102, Z103-Z104 missing; S14 R1: Z8 missing, explained.

    Posted to the sandbox, a hand entry books 130.00 VAT on 1 000.00 sales at 25 % (13 %: a
    deviation), and the accountant runs the month's tie-out.
    """
    month, rng = last_month(), random.Random(16)
    on = lambda n: (month + timedelta(days=n)).isoformat()  # noqa: E731
    payloads, gt, total = [], {}, D("10000.00")
    for z, extra in ((101, D(0)), (102, JUMP), (105, SOLD)):
        payload = day_closure("S12", z, on(z - 100), rng)
        total += _sales(payload) + extra
        gt[z] = total
        payload["grand_total"] = {"sales": f"{total:.2f}", "returns": "0.00"}
        payloads.append(payload)
    payloads += [day_closure("S14", 7, on(2), rng), day_closure("S14", 9, on(4), rng)]
    for payload in payloads:
        receive(fx.company, payload)
    drain(app, session)
    fx.fortnox("POST", "voucherseries", {"VoucherSeries": {"Code": "M", "Description": "Manuella",
                                                            "Manual": True}})  # fmt: skip
    hand = {"Voucher": {"VoucherSeries": "M", "Description": "Kontantförsäljning utan kassa",
            "TransactionDate": on(9), "VoucherRows": [
                {"Account": 1910, "Debit": 1130.0, "Credit": 0},
                {"Account": 3001, "Debit": 0, "Credit": 1000.0},
                {"Account": 2611, "Debit": 0, "Credit": 130.0}]}}  # fmt: skip
    fx.fortnox("POST", "vouchers", hand, financialyear=None)
    anna = make_user(session, "anna@cafe.se", fx.company, "accountant")
    tieout.run(session, fx.company, month, anna)
    session.commit()
    lo, hi = tieout.bounds(month)
    found = breaks.findings(session, fx.company.id, lo, hi)
    gap = next(f.brk for f in found if f.brk.store == "S14")
    breaks.explain(session, company_id=fx.company.id, brk=gap, comment="Z8 was a training receipt",
                   user=anna)  # fmt: skip
    session.commit()
    return Books(fx.company, fx.stores, month, Scope(fx.company.id, lo, hi), payloads, gt)


def build(app, session: Session, books: Books, language: str, scope: Scope | None = None):
    """The report of books' month (or of scope) as anna ordered it."""
    with app.app_context():
        return build_pdf(session, company=books.company, scope=scope or books.scope,
                         language=language, ordered_by="anna@cafe.se",
                         ordered_at=datetime(2030, 1, 2, 9, 0, tzinfo=UTC))  # fmt: skip


def test_the_english_report_shows_every_break_and_the_months_vat(
    app, session, books, tmp_path
) -> None:
    built = build(app, session, books, "en")
    text = pdf_text(built.pdf, tmp_path)
    name = books.month.strftime("%B %Y")
    money = lambda v: number(v, locale="en")  # noqa: E731
    d = lambda n: (books.month + timedelta(days=n)).isoformat()  # noqa: E731
    tills = {r: _vat(books.payloads, r) for r in ("25", "12", "6")}
    for needle in (
        "Z-chain of each register", "VAT tie-out",  # in the contents and as headings
        "Breaks in the Z-chain: 3, of which explained by an accountant: 1.",
        "S12 R1 3 Z101–Z105 sent breaks: 2 0 of 2", "S14 R1 2 Z7–Z9 not sent breaks: 1 1 of 1",
        f"S12 R1 {d(2)} Grand total jump (sales) Z101–Z102 250.00",
        "The grand total of sales rose SEK 250.00 more than Z102's own lines: sales that never",
        f"S12 R1 {d(5)} Z missing Z103–Z104 (2) 1,234.56",
        "Z103–Z104 (2) never reached Kassabok; the register's grand total says it sold SEK",
        f"S14 R1 {d(4)} Z missing Z8 —",
        "Z8 never reached Kassabok; no grand total tells what it sold.",
        "Explained by: Anna · 20", "“Z8 was a training receipt”", "Not explained.",
        f"\n {name}\n Read from Fortnox 20", " by Anna.\n",
        f"25 % 2611 {money(tills['25'])} {money(tills['25'])} 0.00 130.00 +130.00",
        f"12 % 2621 {money(tills['12'])} {money(tills['12'])} 0.00 0.00 0.00",
        f"2631 {money(tills['6'])} {money(tills['6'])} 0.00 0.00 0.00",
        f"{d(9)} Booked by someone else: Kontantförsäljning utan kassa +130.00",
    ):  # fmt: skip
        assert needle in text, needle
    # The hand entry M 1, flagged (pdftotext may close the narrow space in "M 1").
    assert re.search(rf"\bM ?1 {d(9)} 25 % 1,000.00 130.00 13.00 % someone else", text)
    assert "The Z-chain is unbroken." not in text and "No VAT tie-out was run" not in text
    assert text.index("Exceptions and their resolution\n") < text.index("Breaks in the Z-chain")
    assert text.index("Breaks in the Z-chain") < text.index("VAT deviations")
    assert text.index("VAT deviations") < text.index("Mapping versions in force\n")


def test_the_swedish_report_says_it_in_swedish(app, session, books, tmp_path) -> None:
    text = pdf_text(build(app, session, books, "sv").pdf, tmp_path)
    for needle in (
        "Z-kedjan per kassa", "Momsavstämning",
        "Brott i Z-kedjan: 3, varav förklarade av en redovisningsekonom: 1.",
        "Hopp i grand total (försäljning) Z101–Z102 250,00", "Z saknas Z103–Z104 (2) 1 234,56",
        "1 234,56 kr", "Förklarat av: Anna", "”Z8 was a training receipt”", "Inte förklarat.",
        "Läst från Fortnox", "+130,00", "13,00 %", "någon annan",
    ):  # fmt: skip
        assert needle in text, needle


def test_a_report_of_one_store_shows_only_its_registers(app, session, books, tmp_path) -> None:
    s14 = next(s for s in books.stores if s.store_id == "S14")
    scope = Scope(books.company.id, books.scope.start, books.scope.end, (s14.id,))
    text = pdf_text(build(app, session, books, "en", scope).pdf, tmp_path)
    assert "Breaks in the Z-chain: 1, of which explained by an accountant: 1." in text
    assert "Grand total jump" not in text and "S12 R1" not in text
    assert "every store of the company" in text  # the tie-out is the company's, said plainly


def test_the_fingerprint_covers_explanations_and_tie_outs(app, session, books) -> None:
    orgnr, scope = books.company.orgnr, books.scope
    built = build(app, session, books, "en")
    assert current(session, orgnr, scope) == built.fingerprint
    seen = {built.fingerprint}
    lo, hi = scope.start, scope.end
    jump = next(f.brk for f in breaks.findings(session, books.company.id, lo, hi)
                if f.brk.kind == "grand_total_jump")  # fmt: skip
    breaks.explain(session, company_id=books.company.id, brk=jump, comment="Till test", user=None)
    session.commit()
    seen.add(current(session, orgnr, scope))
    with app.app_context():
        tieout.run(session, books.company, books.month)  # the same figures, read again later
    session.commit()
    seen.add(current(session, orgnr, scope))
    assert len(seen) == 3
    assert build(app, session, books, "en").fingerprint == current(session, orgnr, scope)


def test_a_period_across_two_months_names_both_as_partly_covered(session) -> None:
    from app.reports.evidence import vat_months

    scope = Scope(1, date(2026, 10, 15), date(2026, 11, 14))
    got = [(m.month, m.whole, m.run) for m in vat_months(session, scope)]
    assert got == [(date(2026, 10, 1), False, False), (date(2026, 11, 1), False, False)]
    whole = Scope(1, date(2026, 12, 1), date(2027, 1, 31))
    assert [m.whole for m in vat_months(session, whole)] == [True, True]
