"""The PDF's clearing section: the planted month's roll-forward and unsettled items."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlmodel import Session, select

from app.clearing.models import ClearingDay
from app.clearing.read import roll_forwards, stored
from app.clearing.service import recompute
from app.companies.models import Company
from app.i18n import number
from app.reports.data import Scope
from app.reports.fingerprint import current
from app.reports.pdf import build_pdf
from tests.clearing.month import (
    MISSING,
    SHORT_CASH,
    Month,
    build_month,
    import_files,
    store_in_books,
)
from tests.factories import make_company
from tests.reports.test_pdf import pdf_text

ORDERED_AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
JAN = (date(2026, 1, 1), date(2026, 1, 31))
TODAY = date(2026, 2, 20)


@pytest.fixture
def planted(app: Flask, session: Session) -> tuple[Company, Month]:
    """January 2026 for three stores, in the books and the bank, the differences planted."""
    company = make_company(session, orgnr="556677-8899")
    built = build_month(stores=3)
    store_in_books(session, company, built)
    with app.app_context():
        import_files(session, company, built)
        recompute(session, company.id or 0, today=TODAY)
    return company, built


def _pdf(app: Flask, session: Session, company: Company, language: str) -> bytes:
    with app.app_context():
        return build_pdf(session, company=company, scope=Scope(company.id or 0, *JAN),
                         language=language, ordered_by="anna@cafe.se",
                         ordered_at=ORDERED_AT).pdf  # fmt: skip


@pytest.mark.parametrize("language", ["en", "sv"])
def test_report_has_the_roll_forward_and_the_unsettled_items(
    app: Flask, session: Session, planted: tuple[Company, Month], language: str, tmp_path
) -> None:
    company, month = planted
    days, payouts = stored(session, company.id or 0)
    card = next(a for a in roll_forwards(days, payouts, *JAN) if a.account == "1580")
    pdf = _pdf(app, session, company, language)
    (tmp_path / f"report-{language}.pdf").write_bytes(pdf)
    text = pdf_text(pdf, tmp_path)
    money = lambda v: number(v, locale=language).replace("\u00a0", " ").replace("\u202f", " ")  # noqa: E731
    title = (
        "Clearing accounts: till to bank" if language == "en" else "Clearingkonton: kassa till bank"
    )
    assert text.count(title) >= 2  # in the contents and as the heading
    assert money(card.closing) in text and money(card.fees) in text and money(card.sales) in text
    assert money(month.payouts[MISSING]) in text
    assert money(SHORT_CASH) in text
    assert ("short deposit" if language == "en" else "för liten insättning") in text
    assert ("missing payout" if language == "en" else "utbetalning saknas") in text
    assert ("Unsettled items" if language == "en" else "Ej reglerade poster") in text


def test_report_without_bank_data_says_so(app: Flask, session: Session, tmp_path) -> None:
    company = make_company(session, orgnr="556677-8899")
    text = pdf_text(_pdf(app, session, company, "en"), tmp_path)
    assert "No bank statement or settlement report was matched for this period." in text
    assert "Opening" not in text


def test_fingerprint_covers_the_clearing_results(
    app: Flask, session: Session, planted: tuple[Company, Month]
) -> None:
    company, _month = planted
    scope = Scope(company.id or 0, *JAN)
    with app.app_context():
        built = build_pdf(session, company=company, scope=scope, language="en",
                          ordered_by="anna@cafe.se", ordered_at=ORDERED_AT)  # fmt: skip
    assert current(session, company.orgnr, scope) == built.fingerprint
    row = session.exec(select(ClearingDay).where(ClearingDay.status == "late")).first()
    assert row is not None
    row.status, row.in_bank = "settled", row.takings  # the day is matched by hand
    session.add(row)
    session.flush()
    assert current(session, company.orgnr, scope) != built.fingerprint
