"""The PDF of a seeded month: its figures, sections and languages, read back with pdftotext."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.reports.pdf import build_pdf

ORDERED_AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text, spaces normalised (Babel's sv group separator is a no-break space)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def build(app, session, month, language: str):
    """Build the month's report as anna ordered it."""
    with app.app_context():
        return build_pdf(session, company=month.company, scope=month.scope, language=language,
                         ordered_by="anna@cafe.se", ordered_at=ORDERED_AT)  # fmt: skip


def test_english_report_has_the_months_figures(app, session, month, tmp_path) -> None:
    """Cover, totals by VAT rate and method, per store-day rows, exceptions, mapping, trail."""
    built = build(app, session, month, "en")
    text = pdf_text(built.pdf, tmp_path)
    assert built.fingerprint[:32] in text and built.fingerprint[32:] in text
    for needle in (
        "Audit report", "Café Centrum AB", "556677-8899", "October 1, 2026 – October 31, 2026",
        "anna@cafe.se", "2026-11-02 10:30:00",  # ordered at, in Swedish time
        "Closures (newest revision) 62", "Revisions received 63",
        "25 % 223,200.00 55,800.00 279,000.00",  # 3 000.00 gross a day x 31 x (1 + 2)
        "Total 1,089,121.14 157,078.86 1,246,200.00",
        "Card 888,150.00", "Swish 111,600.00",  # payment methods in words, not CARD
        "S12 Café Centrum", "S13 Café Hamnen",
        "2026-10-01 1000 13,400.00 1,689.02 13,889.97 A-1 (2026) matched",
        "2026-10-05 1004 13,400.00 1,689.02 13,889.97 — held",
        "2026-10-10 1009 r1", "A-10 (2026) ↺A-900 superseded",
        "2026-10-10 1009 r2 13,400.00 1,689.02 13,889.97 A-901 (2026) matched",
        "Total 415,400.00 52,359.62 430,589.07",
        "Total 830,800.00 104,719.24 861,178.14",
        "Payment method AMEX is not mapped", "Fortnox answered 503",
        "According to Fortnox 1,232,700.00", "Difference (POS less Fortnox) 13,500.00",
        "of which booked in Fortnox (matched) 1,206,000.00",
        "Fortnox 402,000.00", "Fortnox 830,700.00",
        "2026-10-20 1019 26,800.00 3,378.04 27,779.94 A-51 (2026) reviewed",  # reviewed mismatch
        "3001 credit: 4 700,00, expected 4 800,00",
        "S13 2026-10-20 reviewed day total 26,800.00 26,700.00 -100.00",
        "Reviewed by: Anna (anna@cafe.se) · 2026-", "“Row 3001 corrected by hand”",
        "corrected: reversed by A-900",
        "retried · anna@cafe.se", "Version 1", "payment_methods/CASH",
        "Audit trail of the period", "Page 1 of", "hash chain verified intact, with the company's",
        "The Z-chain is unbroken.", "No register sent its grand totals",
        "S12 R1 31 Z1000–Z1030 not sent unbroken —",
        "S13 R1 31 Z1000–Z1030 not sent unbroken —",
        "No VAT tie-out was run for October 2026.",
    ):  # fmt: skip
        assert needle in text, needle


def test_swedish_report_reads_in_swedish(app, session, month, tmp_path) -> None:
    """Headings, statuses, numbers and dates as Swedish writes them."""
    text = pdf_text(build(app, session, month, "sv").pdf, tmp_path)
    for needle in (
        "Revisionsrapport", "Organisationsnummer", "1 oktober 2026 – 31 oktober 2026",
        "Sammanfattning", "Försäljning per momssats", "25 % 223 200,00 55 800,00 279 000,00",
        "Summa 415 400,00 52 359,62 430 589,07", "avstämd", "parkerad", "ersatt",
        "Kort 888 150,00", "Kontant ",  # payment methods in Swedish words
        "dagens summa 26 800,00 26 700,00 \u2212100,00",  # Swedish writes its own minus sign
        "Verifikation (år)", "Avvikelser och hur de åtgärdades", "Sida 1 av",
        "kontrollerad och obruten, med företagets",
        "Z-kedjan är obruten.", "Ingen momsavstämning har körts för oktober 2026.",
    ):  # fmt: skip
        assert needle in text, needle


def test_fonts_are_embedded_and_pages_are_a4(app, session, month, tmp_path) -> None:
    """Every font is embedded (subset) and every page is A4."""
    built = build(app, session, month, "en")
    path = tmp_path / "r.pdf"
    path.write_bytes(built.pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes " in row for row in rows), fonts
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    assert f"Pages:           {built.pages}" in info


@pytest.mark.parametrize("language", ["sv", "en"])
def test_page_numbers_count_all_pages(app, session, month, tmp_path, language) -> None:
    """The last page says it is the last: 'page N of N'."""
    built = build(app, session, month, language)
    word, of = ("Sida", "av") if language == "sv" else ("Page", "of")
    assert f"{word} {built.pages} {of} {built.pages}" in pdf_text(built.pdf, tmp_path)
