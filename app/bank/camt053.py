"""ISO 20022 camt.053 (BankToCustomerStatement, .001.02 onwards) read into plain records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.bank.camt_entries import Entry, Reader, read_entries
from app.bank.xmlread import FileProblem, FileRefused, Lined, read_xml
from app.closures.problems import _

NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.(\d{3})\.001\.(\d{2}))")
FIRST_VERSION = 2


@dataclass
class Statement:
    """One <Stmt>: an account's statement and its entries."""

    statement_id: str
    account: str
    currency: str
    from_at: datetime | None
    to_at: datetime | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    entries: list[Entry] = field(default_factory=list)


@dataclass
class StatementFile:
    """A whole camt.053 file: its version, group header and statements."""

    version: str
    message_id: str | None
    created_at: datetime | None
    statements: list[Statement]

    @property
    def entry_count(self) -> int:
        """How many entry lines (batched transactions counted one by one) the file holds."""
        return sum(len(s.entries) for s in self.statements)


def parse_statement_file(raw: bytes, zone: str = "Europe/Stockholm") -> StatementFile:
    """Read a camt.053 file; FileRefused names each problem and where it is."""
    root = read_xml(raw)
    namespace, _sep, local = root.tag[1:].rpartition("}") if root.tag[0] == "{" else ("", "", "")
    found = NAMESPACE.fullmatch(namespace)
    if local != "Document" or found is None:
        msg = _(
            "This is not an ISO 20022 camt.053 statement: the root element is {0}; a statement "
            'starts with <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN">.'
        )
        raise FileRefused(FileProblem(root.tag, root.line, msg.format(root.tag)))
    if found[2] != "053" or int(found[3]) < FIRST_VERSION:
        msg = _("The file is {0}; Kassabok reads bank statements as camt.053.001.02 or later.")
        raise FileRefused(FileProblem("Document", root.line, msg.format(found[1])))
    reader = Reader(namespace, ZoneInfo(zone))
    body = reader.need(root, "BkToCstmrStmt", "Document")
    header = reader.find(body, "GrpHdr")
    statements = [
        _statement(reader, element, f"Stmt[{n}]")
        for n, element in enumerate(reader.all(body, "Stmt"), start=1)
    ]
    if not statements:
        msg = _("The file holds no statement (<Stmt>); the bank's export is empty or cut short.")
        raise FileRefused(FileProblem("BkToCstmrStmt", body.line, msg))
    reader.raise_problems()
    _no_twins(statements)
    return StatementFile(
        version=found[1],
        message_id=reader.text(header, "MsgId") if header is not None else None,
        created_at=reader.moment(header, "CreDtTm", "GrpHdr/CreDtTm")
        if header is not None
        else None,
        statements=statements,
    )


def _statement(reader: Reader, element: Lined, where: str) -> Statement:
    """One <Stmt> with its account, period, balances and entries."""
    statement_id = reader.text(element, "Id")
    if not statement_id:
        reader.problem(f"{where}/Id", element, _("The statement has no <Id>; the bank sets one."))
    account = reader.text(element, "Acct/Id/IBAN") or reader.text(element, "Acct/Id/Othr/Id")
    if not account:
        msg = _("The statement names no account (<Acct><Id><IBAN> or <Othr><Id>).")
        reader.problem(f"{where}/Acct", element, msg)
    currency = reader.text(element, "Acct/Ccy") or ""
    entries = read_entries(reader, element, where, account or "", currency)
    return Statement(
        statement_id=statement_id or "",
        account=account or "",
        currency=currency or (entries[0].currency if entries else ""),
        from_at=reader.moment(element, "FrToDt/FrDtTm", f"{where}/FrToDt/FrDtTm"),
        to_at=reader.moment(element, "FrToDt/ToDtTm", f"{where}/FrToDt/ToDtTm"),
        opening_balance=_balance(reader, element, where, ("OPBD", "PRCD")),
        closing_balance=_balance(reader, element, where, ("CLBD",)),
        entries=entries,
    )


def _balance(reader: Reader, element: Lined, where: str, codes: tuple[str, ...]) -> Decimal | None:
    """The first balance of one of the given types, signed (a debit balance is negative)."""
    for n, balance in enumerate(reader.all(element, "Bal"), start=1):
        if reader.text(balance, "Tp/CdOrPrtry/Cd") in codes:
            amount = reader.amount(balance, f"{where}/Bal[{n}]/Amt")
            if amount is None:
                return None
            debit = reader.text(balance, "CdtDbtInd") == "DBIT"
            return -amount if debit else amount
    return None


def _no_twins(statements: list[Statement]) -> None:
    """Refuse a file that holds the same account's statement id twice."""
    seen: set[tuple[str, str]] = set()
    for n, statement in enumerate(statements, start=1):
        key = (statement.account, statement.statement_id)
        if key in seen:
            msg = _("Statement {0} of account {1} appears twice in the file.")
            raise FileRefused(FileProblem(f"Stmt[{n}]/Id", None, msg.format(*reversed(key))))
        seen.add(key)
