"""SIE 4: the tests' own reader proven on a third-party file, then reading what Kassabok wrote."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import col, select

from app.evidence.sie import SieBook, SieVoucher, write
from app.reconcile.models import FortnoxVoucher
from tests.evidence.sie_reader import SieError, read
from tests.factories import make_user
from tests.posting.sandbox_support import day_closure, drain

D = Decimal
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sie" / "transaktioner_ovnbolag.se"


def test_the_reader_reads_sie_gruppens_example_company() -> None:
    sie = read(SAMPLE.read_bytes())
    assert sie.first("#FNAMN") == ["Övningsbolaget AB (Ekonomi 60)"]  # PC8 read as code page 437
    assert sie.first("#SIETYP") == ["4"] and sie.first("#FORMAT") == ["PC8"]
    assert sie.first("#RAR") == ["0", "20110101", "20111231"]
    assert len(sie.accounts) == 567 and sie.accounts["1050"] == "Varumärken"
    assert sie.objects["1", "Nord"] == "Kontor Nord"
    assert len(sie.vouchers) == 163  # each one balanced, or read() would have refused it
    first = sie.vouchers[0]
    assert (first.series, first.number, first.day, first.text) == (
        "B", "1", date(2011, 1, 7), "Övriga personalkostnader")  # fmt: skip
    assert [(t.account, t.amount) for t in first.trans] == [
        ("1910", D("-128.00")), ("7690", D("100.00")), ("2641", D("28.00"))]  # fmt: skip
    with_objects = next(t for v in sie.vouchers for t in v.trans if t.objects == (("7", "1"),))
    assert (with_objects.account, with_objects.day, with_objects.text) == (
        "3051", date(2011, 3, 31), "Grossisten HB")  # fmt: skip


def test_the_reader_refuses_a_voucher_that_does_not_balance() -> None:
    tampered = SAMPLE.read_bytes().replace(b"#TRANS  3051 {\"7\" \"1\"} 5440.00",
                                            b"#TRANS  3051 {\"7\" \"1\"} 5440.01", 1)  # fmt: skip
    with pytest.raises(SieError, match="sums to 0.01"):
        read(tampered)


def test_what_kassabok_writes_reads_back_as_written() -> None:
    rows = ((("1910", "S12", D("1820.00")), ("3002", "S12", D("-1625.00")),
             ("2621", "S12", D("-195.00"))))  # fmt: skip
    book = SieBook(
        company='Café "Hörnet" AB',
        orgnr="556677-8899",
        year=(date(2026, 1, 1), date(2026, 12, 31)),
        generated=date(2026, 12, 4),
        vouchers=(
            SieVoucher("A", 12, date(2026, 11, 24), "Z457 S12 2026-11-24 [KB:S12-Z457-r1] €", rows),
        ),
        accounts={"1910": "Kassa", "3002": "Försäljning 12 %", "2621": "Utgående moms 12 %"},
        cost_centers={"S12": "Café Centrum"},
    )
    data = write(book)
    assert b"\r\n" in data and "Försäljning".encode("cp437") in data
    sie = read(data)
    assert sie.first("#FNAMN") == ['Café "Hörnet" AB'] and sie.first("#ORGNR") == ["556677-8899"]
    assert sie.first("#SIETYP") == ["4"] and sie.first("#RAR") == ["0", "20260101", "20261231"]
    assert sie.objects["1", "S12"] == "Café Centrum" and sie.accounts["3002"] == "Försäljning 12 %"
    [ver] = sie.vouchers
    assert (ver.series, ver.number, ver.day) == ("A", "12", date(2026, 11, 24))
    assert ver.text == "Z457 S12 2026-11-24 [KB:S12-Z457-r1] ?"  # no € in code page 437
    assert [(t.account, t.objects, t.amount) for t in ver.trans] == [
        (a, (("1", cc),), amount) for a, cc, amount in rows]  # fmt: skip
    unbalanced = SieVoucher("A", 13, date(2026, 11, 25), "x", (("1910", "", D("1.00")),))
    with pytest.raises(ValueError, match="A 13 does not balance"):
        write(SieBook("X", "1", book.year, book.generated, (unbalanced,)))


def test_the_download_holds_the_months_vouchers_as_kassabok_posted_them(
    app, session, fx, receive, client, auth
) -> None:
    month = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    rng = random.Random(4)
    for z in (1, 2, 3):
        receive(fx.company, day_closure("S12", z, (month + timedelta(days=z)).isoformat(), rng))
    drain(app, session)
    posted = session.exec(
        select(FortnoxVoucher)
        .where(col(FortnoxVoucher.key).startswith("KB:"))
        .order_by(col(FortnoxVoucher.number))
    ).all()
    make_user(session, "auditor@example.com", fx.company, role="auditor")
    auth.login("auditor@example.com")
    resp = client.get(f"/c/{fx.company.id}/evidence/sie?month={month:%Y-%m}")
    assert resp.status_code == 200, resp.data[:300]
    assert resp.headers["Content-Type"] == "text/plain; charset=IBM437"
    assert f"kassabok-{fx.company.orgnr}-{month:%Y-%m}.se" in resp.headers["Content-Disposition"]
    sie = read(resp.data)
    assert sie.first("#FNAMN") == [fx.company.name]
    assert [(v.series, int(v.number)) for v in sie.vouchers] == [
        (p.series, p.number) for p in posted
    ]
    assert len(posted) == 3
    for ver in sie.vouchers:
        assert "[KB:S12-Z" in ver.text
        assert all(t.objects == (("1", "S12"),) for t in ver.trans)
    assert sie.accounts["1910"]  # names from Fortnox's chart of accounts
