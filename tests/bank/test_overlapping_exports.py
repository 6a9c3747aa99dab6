"""Exports without payout references (Zettle's) that overlap by a day count each line once."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from sqlmodel import Session, col, select

from app.bank.models import SettlementLine
from app.companies.models import Company
from tests.bank import test_open_payouts as open_payouts

HEAD = "timestamp,amount,originatorTransactionType,originatingTransactionUuid"
MON = "2026-11-23T10:00:00.000+0000,125000,PAYMENT,30cef6e2-be09-11ea-a8e4-bce028663c34"
MON_FEE = "2026-11-23T10:00:00.000+0000,-2313,PAYMENT_FEE,30cef6e2-be09-11ea-a8e4-bce028663c34"
TUE = "2026-11-24T11:01:33.309+0000,50000,PAYMENT,690c99ea-b6ef-11ea-9730-7ef7aeff642d"
WED = "2026-11-25T09:00:00.000+0000,20000,PAYMENT,11111111-b6ef-11ea-9730-7ef7aeff642d"


def export(*rows: str) -> bytes:
    """A Zettle liquid-account transactions export of these rows."""
    return ("\n".join([HEAD, *rows]) + "\n").encode()


def bring(session: Session, company: Company, raw: bytes, name: str) -> dict:
    """Import a Zettle export as the CLI does and commit; the answer with its status code."""
    return open_payouts.bring(session, company, raw, name, profile="zettle")


def test_a_later_export_repeating_a_day_adds_only_its_new_lines(
    app: Flask, session: Session, company: Company
) -> None:
    with app.app_context():
        first = bring(session, company, export(MON, MON_FEE, TUE), "mon-tue.csv")
        second = bring(session, company, export(TUE, WED), "tue-wed.csv")
        again = bring(session, company, export(TUE, WED), "tue-wed.csv")
    assert (first["code"], first["lines"], first["held"]) == (201, 3, 0)
    assert (second["code"], second["lines"], second["held"]) == (201, 1, 1)
    assert again["code"] == 200  # the same file twice is one import
    lines = session.exec(select(SettlementLine).order_by(col(SettlementLine.id))).all()
    assert [line.gross for line in lines if line.kind == "sale"] == [
        Decimal("1250.00"),
        Decimal("500.00"),
        Decimal("200.00"),
    ]


def test_two_like_payments_in_a_later_export_beside_one_held_add_one(
    app: Flask, session: Session, company: Company
) -> None:
    """Rows alike to the character are as many as the newest export holds, not more, not less."""
    with app.app_context():
        bring(session, company, export(TUE), "tue.csv")
        later = bring(session, company, export(TUE, TUE, WED), "tue-tue-wed.csv")
    assert (later["lines"], later["held"]) == (2, 1)
    sales = session.exec(select(SettlementLine).where(SettlementLine.kind == "sale")).all()
    assert len(sales) == 3  # the held one, the newest export's second, and Wednesday's
