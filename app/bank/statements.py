"""Bank statements in: a camt.053 file kept, its statements and entries stored, or refused."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from sqlmodel import Session, col, select

from app.bank.camt053 import StatementFile, parse_statement_file
from app.bank.models import BankEntry, BankStatement, BankStatementFile
from app.bank.receive import Arrival, ImportResult, Kind, answer, receive
from app.bank.xmlread import FileProblem
from app.closures.problems import _
from app.companies.models import Company


def _zone() -> str:
    """The zone a date-time without one is read in (the portal's, Swedish time)."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else "Europe/Stockholm"


def _read(raw: bytes) -> StatementFile:
    """The camt.053 file read, or FileRefused."""
    return parse_statement_file(raw, _zone())


def _conflicts(session: Session, company: Company, parsed: StatementFile) -> list[FileProblem]:
    """Statements of this file that an earlier, different file already brought."""
    problems = []
    for n, statement in enumerate(parsed.statements, start=1):
        known = session.exec(
            select(BankStatement, BankStatementFile)
            .join(BankStatementFile, col(BankStatementFile.id) == BankStatement.file_id)
            .where(
                BankStatement.company_id == company.id,
                BankStatement.account == statement.account,
                BankStatement.statement_id == statement.statement_id,
            )
        ).first()
        if known is not None:
            _stmt, earlier = known
            msg = _(
                "Statement {0} of account {1} was already imported on {2} from {3} (import {4}) "
                "with different content; a corrected statement needs a new statement id."
            )
            when = earlier.received_at.strftime("%Y-%m-%d %H:%M UTC")
            text = msg.format(
                statement.statement_id,
                statement.account,
                when,
                earlier.filename or "a file",
                earlier.id,
            )
            problems.append(FileProblem(f"Stmt[{n}]/Id", None, text))
    return problems


def _store(session: Session, row: BankStatementFile, parsed: StatementFile) -> dict[str, Any]:
    """Store the file's statements and entry lines; what the audit trail notes of them."""
    row.version, row.message_id = parsed.version, parsed.message_id
    row.created_at_bank = parsed.created_at
    row.statement_count, row.entry_count = len(parsed.statements), parsed.entry_count
    for read in parsed.statements:
        statement = BankStatement(
            company_id=row.company_id,
            file_id=row.id,
            statement_id=read.statement_id[:100],
            account=read.account[:70],
            currency=read.currency[:3],
            from_at=read.from_at,
            to_at=read.to_at,
            opening_balance=read.opening_balance,
            closing_balance=read.closing_balance,
        )
        session.add(statement)
        session.flush()
        session.add_all(
            BankEntry(
                company_id=row.company_id,
                statement_pk=statement.id,
                signed_amount=entry.signed_amount,
                **{k: v for k, v in vars(entry).items() if k != "account"},
                account=entry.account[:70],
            )
            for entry in read.entries
        )
    return {
        "version": parsed.version,
        "statements": row.statement_count,
        "entries": row.entry_count,
    }


STATEMENTS: Kind[BankStatementFile, StatementFile] = Kind(
    "statement", BankStatementFile, _read, _conflicts, _store
)


def import_statement(
    session: Session,
    *,
    company: Company,
    raw: bytes,
    filename: str,
    source: str,
    user: Any = None,
    actor: str | None = None,
) -> ImportResult[BankStatementFile]:
    """Keep one camt.053 file and import it, or answer why not (201/200/409/422)."""
    return receive(Arrival(session, company, raw, filename, source, user, actor), STATEMENTS)


def statement_answer(result: ImportResult[BankStatementFile]) -> dict[str, Any]:
    """The API's body for a statement import."""
    row = result.file
    counts = {"statements": row.statement_count, "entries": row.entry_count}
    return {**answer(result, counts), "version": row.version or None}
