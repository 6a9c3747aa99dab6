"""POST /api/v1/bank-statements and /api/v1/settlements: 201, 200, 409, 422, each file kept."""

from __future__ import annotations

import io
from decimal import Decimal

from sqlmodel import Session, func, select

from app.audit.models import AuditEvent
from app.bank.camt_write import Ntry, statement
from app.bank.models import (
    BankEntry,
    BankStatement,
    BankStatementFile,
    SettlementFile,
    SettlementLine,
)
from tests.bank.camt_builder import day_statement
from tests.bank.conftest import settlement_file
from tests.bank.test_camt053 import XXE

STATEMENTS, SETTLEMENTS = "/api/v1/bank-statements", "/api/v1/settlements"


def count(session: Session, model: type) -> int:
    """Rows of a table."""
    return session.exec(select(func.count()).select_from(model)).one()


def actions(session: Session) -> list[str]:
    """The audit trail's actions, oldest first."""
    return list(session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all())


def test_a_statement_is_imported_once_and_the_same_file_again_is_200(client, session, headers):
    raw = day_statement(version=8)
    first = client.post(f"{STATEMENTS}?filename=day.xml", data=raw, headers=headers)
    assert first.status_code == 201, first.json
    body = first.json
    assert (body["status"], body["statements"], body["entries"]) == ("created", 1, 4)
    assert body["version"] == "camt.053.001.08" and body["errors"] == []
    again = client.post(STATEMENTS, data=raw, headers=headers)
    assert again.status_code == 200 and again.json["status"] == "unchanged"
    assert again.json["id"] == body["id"]
    kept = session.get(BankStatementFile, body["id"])
    assert kept.raw == raw and kept.filename == "day.xml" and kept.actor.startswith("api token")
    assert kept.received_at.tzinfo is not None
    assert count(session, BankStatementFile) == 1 and count(session, BankEntry) == 4
    entries = session.exec(select(BankEntry).order_by(BankEntry.id)).all()
    assert [e.signed_amount for e in entries] == [
        Decimal(v) for v in ("1387.35", "200.00", "300.00", "-49.00")
    ]
    assert actions(session) == ["bank.statement_imported"]


def test_the_same_statement_id_with_other_content_is_409_and_kept(client, session, headers):
    assert client.post(STATEMENTS, data=day_statement(), headers=headers).status_code == 201
    changed = statement([Ntry("1.00")])  # STMT-2026-11-26 of the same account, other entries
    answer = client.post(STATEMENTS, data=changed, headers=headers)
    assert answer.status_code == 409
    assert answer.json["status"] == "conflict"
    (error,) = answer.json["errors"]
    assert error["where"] == "Stmt[1]/Id"
    assert (
        "Statement STMT-2026-11-26 of account SE4550000000058398257466 was already"
        in (error["message"])
    )
    kept = session.get(BankStatementFile, answer.json["id"])
    assert kept.status == "conflict" and kept.raw == changed
    assert count(session, BankStatement) == 1
    # Another account's statement of that id is no conflict.
    other = statement([Ntry("1.00")], iban="SE7280000810340009783242")
    assert client.post(STATEMENTS, data=other, headers=headers).status_code == 201
    assert actions(session)[-2:] == ["bank.statement_refused", "bank.statement_imported"]


def test_a_hostile_or_malformed_statement_is_422_and_kept(client, session, headers):
    answer = client.post(STATEMENTS, data=XXE, headers=headers)
    assert answer.status_code == 422
    assert answer.json["errors"][0]["where"] == "DOCTYPE"
    assert answer.json["errors"][0]["line"] == 2
    kept = session.get(BankStatementFile, answer.json["id"])
    assert (kept.status, kept.raw, kept.size) == ("invalid", XXE, len(XXE))
    # Sent again it is read again (and refused again), still one kept file.
    assert client.post(STATEMENTS, data=XXE, headers=headers).status_code == 422
    assert count(session, BankStatementFile) == 1 and count(session, BankEntry) == 0
    assert actions(session) == ["bank.statement_refused", "bank.statement_refused"]


def test_a_multipart_upload_is_read_too(client, headers):
    data = {"file": (io.BytesIO(day_statement()), "bank.xml")}
    answer = client.post(STATEMENTS, data=data, headers=headers, content_type="multipart/form-data")
    assert answer.status_code == 201 and answer.json["filename"] == "bank.xml"


def test_without_a_token_nothing_is_taken(client, session, company):
    assert client.post(STATEMENTS, data=day_statement()).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.post(SETTLEMENTS, data=b"x", headers=wrong).status_code == 401
    assert count(session, BankStatementFile) == 0 and count(session, SettlementFile) == 0


def test_a_body_over_the_bank_limit_is_413(app, client, session, headers):
    app.config["BANK_MAX_BODY"] = 1000
    answer = client.post(STATEMENTS, data=day_statement(), headers=headers)
    assert answer.status_code == 413 and "limit of 1000 bytes" in answer.json["message"]
    assert actions(session) == ["bank.statement_refused"]


def test_a_settlement_report_201_200_409_422(client, session, headers):
    raw = settlement_file("adyen-settlement-details.csv")
    first = client.post(f"{SETTLEMENTS}?profile=adyen&filename=b412.csv", data=raw, headers=headers)
    assert first.status_code == 201, first.json
    assert (first.json["lines"], first.json["profile"]) == (5, "adyen")
    assert client.post(f"{SETTLEMENTS}?profile=adyen", data=raw, headers=headers).status_code == 200
    lines = session.exec(select(SettlementLine).order_by(SettlementLine.line_no)).all()
    assert sum(line.net for line in lines if line.kind != "payout") == Decimal("1387.35")
    # A new line for batch 412, paid out already: a conflict, kept.
    edited = raw.replace(b"1236.25", b"1236.20")
    conflict = client.post(f"{SETTLEMENTS}?profile=adyen", data=edited, headers=headers)
    assert conflict.status_code == 409
    assert "Payout 412 is closed" in conflict.json["errors"][0]["message"]
    # Unreadable with the profile named, or no profile at all: 422, kept.
    wrong = client.post(f"{SETTLEMENTS}?profile=zettle", data=b"a,b\n1,2\n", headers=headers)
    assert wrong.status_code == 422
    assert (
        "lacks the column(s) timestamp, originatorTransactionType"
        in (wrong.json["errors"][0]["message"])
    )
    nameless = client.post(SETTLEMENTS, data=b"x,y\n", headers=headers)
    assert nameless.status_code == 422
    assert "Name the settlement profile" in nameless.json["errors"][0]["message"]
    statuses = session.exec(select(SettlementFile.status).order_by(SettlementFile.id)).all()
    assert statuses == ["imported", "conflict", "invalid", "invalid"]
    assert count(session, SettlementLine) == 5


def test_a_refused_settlement_is_read_again_when_sent_again(client, session, headers):
    raw = settlement_file("zettle-finance-transactions.csv")
    assert client.post(f"{SETTLEMENTS}?profile=adyen", data=raw, headers=headers).status_code == 422
    fixed = client.post(f"{SETTLEMENTS}?profile=zettle", data=raw, headers=headers)
    assert fixed.status_code == 201 and fixed.json["lines"] == 5
    assert count(session, SettlementFile) == 1
    assert session.exec(select(SettlementFile.profile)).one() == "zettle"
