"""The PDF's differing store-days: each account's difference, a review with who, when and why."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.reconcile.models import StoreDayCheck
from tests.reports.test_pdf import build, pdf_text

DAY = date(2026, 10, 20)


def _cancelling(session: Session, month) -> StoreDayCheck:  # type: ignore[no-untyped-def]
    """S13's 20 October: 100.00 moved from 1910 to 1930 by hand, so the day's totals are equal."""
    day = session.exec(
        select(StoreDayCheck).where(
            StoreDayCheck.store_code == "S13", StoreDayCheck.business_date == DAY
        )
    ).one()
    day.fortnox_total = day.pos_total
    day.detail = {
        "cost_center": "S13",
        "lines": [
            {"account": "1910", "label": "", "expected": "2000.00", "actual": "1900.00"},
            {"account": "1930", "label": "", "expected": "500.00", "actual": "600.00"},
            {"account": "3001", "label": "", "expected": "-2500.00", "actual": "-2500.00"},
        ],
    }
    session.add(day)
    session.commit()
    return day


def _keep(pdf: bytes, name: str) -> None:
    """Leave the PDF for a person to look at (KASSABOK_B_SHOTS, /tmp/kb/B when it exists)."""
    out = Path(os.environ.get("KASSABOK_B_SHOTS", "/tmp/kb/B"))
    if out.exists():
        (out / name).write_bytes(pdf)


@pytest.mark.parametrize(
    ("language", "needles"),
    [
        (
            "en",
            (
                "S13 2026-10-20 reviewed 1910 2,000.00 1,900.00 -100.00",
                "1930 500.00 600.00 +100.00",
                "Reviewed by: Anna (anna@cafe.se) · ",
                "· “Row 3001 corrected by hand”",
                "reviewed: the difference is explained",
            ),
        ),
        (
            "sv",
            (
                "S13 2026-10-20 granskad 1910 2 000,00 1 900,00 -100,00",
                "1930 500,00 600,00 +100,00",
                "Granskad av: Anna (anna@cafe.se) · ",
                "granskad: differensen är förklarad",
                "· ”Row 3001 corrected by hand”",  # Swedish quotation marks
            ),
        ),
    ],
)
def test_cancelling_accounts_each_show_and_the_review_says_who_when_why(
    app, session, month, tmp_path, language, needles
) -> None:
    _cancelling(session, month)
    built = build(app, session, month, language)
    _keep(built.pdf, f"report-{language}.pdf")
    text = pdf_text(built.pdf, tmp_path).replace("\u2212", "-")  # either minus sign
    for needle in needles:
        assert needle in text, needle
    table = text[text.index("S13 2026-10-20 ") :]
    assert "0.00\n" not in table.split("\n")[0] and "0,00\n" not in table.split("\n")[0]
    assert "A-51 (2026) mismatch" not in text  # the reviewed closure counts as reviewed


def test_the_exceptions_name_the_reviewer_by_name(app, session, month, tmp_path) -> None:
    from app.auth.models import User

    anna = session.exec(select(User).where(User.email == "anna@cafe.se")).one()
    anna.name = "Anna Berg"
    session.add(anna)
    session.commit()
    text = pdf_text(build(app, session, month, "en").pdf, tmp_path)
    assert "Reviewed by: Anna Berg (anna@cafe.se) · 2026-" in text
    assert "A-51 (2026) reviewed" in text


@pytest.mark.parametrize(
    ("language", "needles"),
    [
        (
            "en",
            (
                "S13 2026-10-20 mismatch 1910 2,000.00 1,900.00 -100.00",
                "the difference changed since: was 1910 -50.00, 1930 +50.00, now 1910 -100.00, "
                "1930 +100.00",
                "A-51 (2026) mismatch",
            ),
        ),
        (
            "sv",
            (
                "S13 2026-10-20 avvikelse 1910 2 000,00 1 900,00 \u2212100,00",
                "differensen har ändrats sedan dess: var 1910 \u221250,00, 1930 +50,00, nu 1910 "
                "\u2212100,00, 1930 +100,00",
            ),
        ),
    ],
)
def test_a_review_of_other_differences_no_longer_settles_the_day(
    app, session, month, tmp_path, language, needles
) -> None:
    """The review saw 50.00 moved; the day now has 100.00 moved: mismatched, and says why."""
    from app.reconcile.models import Review

    _cancelling(session, month)
    review = session.exec(select(Review)).one()
    review.fingerprint = "1910:2000.00:1950.00;1930:500.00:550.00"
    session.add(review)
    session.commit()
    built = build(app, session, month, language)
    _keep(built.pdf, f"report-changed-{language}.pdf")
    text = " ".join(pdf_text(built.pdf, tmp_path).split())
    for needle in needles:
        assert needle in text, needle
    assert "reviewed: the difference is explained" not in text
    assert "granskad: differensen är förklarad" not in text
