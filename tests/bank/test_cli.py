"""`flask bank import` and `flask settlements import`: the API's answers, printed."""

from __future__ import annotations

from sqlmodel import select

from app.bank.camt_write import Ntry, statement
from app.bank.models import BankStatementFile, SettlementFile
from tests.bank.camt_builder import day_statement
from tests.bank.conftest import ORGNR, SETTLEMENTS


def test_bank_import_created_unchanged_conflict_invalid(runner, session, company, tmp_path):
    day, other, broken = tmp_path / "day.xml", tmp_path / "other.xml", tmp_path / "broken.xml"
    day.write_bytes(day_statement(version=5))
    other.write_bytes(statement([Ntry("9.00")]))
    broken.write_bytes(b"<Document>")
    args = ["bank", "import", "--company", ORGNR]
    first = runner.invoke(args=[*args, str(day)])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("created: import 1 (1 statement(s), 4 entries)")
    again = runner.invoke(args=[*args, str(day)])
    assert again.exit_code == 0 and again.output.startswith("unchanged: import 1")
    conflict = runner.invoke(args=[*args, str(other)])
    assert conflict.exit_code == 1 and conflict.output.startswith("conflict: import 2")
    assert "Stmt[1]/Id: Statement STMT-2026-11-26 of account" in conflict.output
    invalid = runner.invoke(args=[*args, str(broken)])
    assert invalid.exit_code == 1 and "not well-formed XML (no element found)" in invalid.output
    rows = session.exec(select(BankStatementFile).order_by(BankStatementFile.id)).all()
    assert [(r.status, r.source, r.actor, r.filename) for r in rows] == [
        ("imported", "cli", "cli", str(day)),
        ("conflict", "cli", "cli", str(other)),
        ("invalid", "cli", "cli", str(broken)),
    ]


def test_bank_import_needs_a_known_company(runner, company, tmp_path):
    day = tmp_path / "day.xml"
    day.write_bytes(day_statement())
    answer = runner.invoke(args=["bank", "import", "--company", "000000-0000", str(day)])
    assert answer.exit_code == 2 and "No company has organisation number 000000-0000" in (
        answer.output
    )


def test_settlements_import_with_a_profile(runner, session, company):
    path = SETTLEMENTS / "worldline-e-statement.csv"
    args = ["settlements", "import", "--company", ORGNR]
    answer = runner.invoke(args=[*args, "--profile", "worldline", str(path)])
    assert answer.exit_code == 0, answer.output
    assert answer.output.startswith("created: import 1 (2 line(s) with worldline)")
    wrong = runner.invoke(
        args=[*args, "--profile", "adyen", str(SETTLEMENTS / "zettle-finance-transactions.csv")]
    )
    assert wrong.exit_code == 1 and "header line 1: The header row lacks" in wrong.output
    unknown = runner.invoke(args=[*args, "--profile", "nets", str(path)])
    assert unknown.exit_code == 2
    assert "No settlement profile 'nets'; Café Centrum AB has: adyen, swedbank-pay" in (
        unknown.output
    )
    assert len(session.exec(select(SettlementFile)).all()) == 2
    listed = runner.invoke(args=["settlements", "profiles", "--company", ORGNR])
    assert "zettle\tZettle – Finance API transactions (liquid account)" in listed.output
