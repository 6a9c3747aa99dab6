"""The Z-report Kassabok renders when the POS sent none: one A4 page, in Swedish, marked as ours."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import Session

from app.attachments.render import render_zreport, zreport_html
from app.attachments.sheet import sheet
from app.closures.models import Closure
from tests.attachments.conftest import stored_closure, with_z_report

OUT = Path("/tmp/kb/I")
NOTICE = (
    "Renderad av Kassabok från dagsavslutets uppgifter; "
    "kassaregistrets egen Z-rapport skickades inte."
)


def _closure(session: Session) -> Closure:
    payload = with_z_report()
    payload.pop("z_report")
    return stored_closure(session, payload)


def test_the_sheet_sums_sales_per_group_and_rate_and_keeps_returns_apart() -> None:
    found = sheet(with_z_report())
    assert [(s.group, s.rate, s.gross) for s in found.sales] == [
        ("DRINKS", Decimal(25), Decimal("3000.00")),
        ("FOOD", Decimal(12), Decimal("9900.00")),
        ("BOOKS", Decimal(6), Decimal("500.00")),
    ]
    assert (found.gross_sales, found.returns, found.gross) == (
        Decimal("13500.00"),
        Decimal("100.00"),
        Decimal("13400.00"),
    )
    assert [str(r.vat) for r in found.by_rate] == ["600.00", "1060.72", "28.30"]
    assert found.cash_difference == Decimal("-20.00")
    assert found.grand_net == Decimal("1284613.50") - Decimal("3412.00")
    assert found.paid == Decimal("13889.97")


def test_the_page_is_in_swedish_and_says_kassabok_rendered_it(app, session) -> None:
    closure = _closure(session)
    with app.app_context():
        html = zreport_html(session, closure)
    assert NOTICE in html
    for words in ("Z-rapport", "Kassadifferens", "Grand total", "13 400,00", "1 284 613,50"):
        assert words.replace(" ", "\xa0") in html or words in html, words
    assert "25 %" in html.replace("\xa0", " ")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_pdf_is_one_a4_page_with_the_figures(app, session) -> None:
    closure = _closure(session)
    with app.app_context():
        pdf = render_zreport(session, closure)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "zreport.pdf").write_bytes(pdf)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    assert re.search(rb"Pages:\s+1\n", info) and b"595.276 x 841.89 pts (A4)" in info
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Z-rapport Z458" in text and "Café Centrum" in text
    assert "Renderad av Kassabok" in text
    assert "13 400,00" in text.replace("\xa0", " ")
