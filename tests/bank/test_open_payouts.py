"""A payout's lines may come in several files until its payout row closes it; each line once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask
from sqlmodel import Session, select

from app.bank.camt_write import Ntry, Tx, statement
from app.bank.models import SettlementFile, SettlementLine
from app.bank.settlements import import_settlement, settlement_answer
from app.bank.statements import import_statement
from app.clearing.service import compute
from app.companies.models import Company
from tests.bank.conftest import ORGNR, settlement_file
from tests.bank.test_api import SETTLEMENTS, actions, count
from tests.bank.test_views import upload
from tests.factories import make_user

# Batch 412: two sales, a refund, a terminal fee and the payout row of 1 387,35.
HEAD, *ROWS = settlement_file("adyen-settlement-details.csv").decode().splitlines()
NEW_SALE = (
    "KassabokDemo,KassabokDemoSE,8815000000000009,S12-R1-Z458-1,visa,2026-11-25 10:00:00,CET,"
    "Settled,8825000000000009,SEK,,100.00,1,SEK,,98.90,0.00,0.50,0.10,0.50,visadebit,,412,S12"
)


def csv(*rows: str) -> bytes:
    """A settlement details report of these rows."""
    return ("\n".join([HEAD, *rows]) + "\n").encode()


MORNING = csv(*ROWS[:2])  # the day's sales: batch 412 not paid out yet
EVENING = csv(*ROWS[1:])  # the second sale again, the refund, the fee and the payout row


def bring(
    session: Session, company: Company, raw: bytes, name: str, profile: str = "adyen"
) -> dict:
    """Import a settlement file as the CLI does, commit; the API's body with its status code."""
    result = import_settlement(
        session, company=company, raw=raw, profile=profile, filename=name, source="cli"
    )
    session.commit()
    return {"code": result.status_code, **settlement_answer(result)}


def lines_of(session: Session, reference: str = "412") -> list[SettlementLine]:
    """The company's lines of one payout, in the order they came."""
    query = select(SettlementLine).where(SettlementLine.payout_reference == reference)
    return list(session.exec(query.order_by(SettlementLine.id)).all())


def test_two_files_of_one_payout_import_once_each_and_match_the_bank(
    app: Flask, session: Session, company: Company
) -> None:
    with app.app_context():
        first = bring(session, company, MORNING, "morning.csv")
        assert (first["code"], first["lines"], first["held"]) == (201, 2, 0)
        second = bring(session, company, EVENING, "evening.csv")
        assert (second["code"], second["lines"], second["held"]) == (201, 3, 1)
        assert "3 new line(s); 1 line(s) an earlier file brought" in second["message"]
        credit = Ntry("1387.35", booked="2026-11-27", txs=[Tx(text="TX4711 batch 412")])
        banked = import_statement(
            session, company=company, raw=statement([credit]), filename="s.xml", source="cli"
        )
        session.commit()
    assert banked.status_code == 201
    assert [ln.kind for ln in lines_of(session)] == ["sale", "sale", "refund", "fee", "payout"]
    (payout,) = [p for p in compute(session, company.id, date(2026, 12, 4)).payouts]
    assert (payout.reference, payout.amount, payout.in_bank) == (
        "412",
        Decimal("1387.35"),
        Decimal("1387.35"),
    )
    assert payout.how and payout.difference == 0 and len(payout.line_ids) == 5
    assert len(payout.entry_ids) == 1
    assert session.get(SettlementFile, second["id"]).held_count == 1


def test_a_closed_payout_refuses_new_lines_with_a_409_that_says_what_to_do(
    session: Session, company: Company
) -> None:
    bring(session, company, MORNING, "morning.csv")
    closing = bring(session, company, EVENING, "evening.csv")
    late = bring(session, company, csv(ROWS[0], NEW_SALE), "late.csv")
    assert (late["code"], late["status"]) == (409, "conflict")
    (problem,) = late["errors"]
    assert problem["message"].startswith(
        f"Payout 412 is closed: its payout row (2026-11-26) came in evening.csv "
        f"(import {closing['id']}, received "
    )
    assert "adds 1 line(s) to it" in problem["message"]
    assert "ask the acquirer for the report with its batch numbers" in problem["message"]
    kept = session.get(SettlementFile, late["id"])
    assert (kept.status, kept.raw) == ("conflict", csv(ROWS[0], NEW_SALE))
    assert len(lines_of(session)) == 5 and actions(session)[-1] == "bank.settlement_refused"
    # The same refused file again is refused again, kept once.
    assert bring(session, company, csv(ROWS[0], NEW_SALE), "late.csv")["code"] == 409
    assert count(session, SettlementFile) == 3


def test_repeating_a_closed_payouts_lines_beside_a_new_payout_imports_the_new_one(
    session: Session, company: Company
) -> None:
    bring(session, company, csv(*ROWS), "b412.csv")
    other = NEW_SALE.replace(",412,S12", ",413,S12")
    answer = bring(session, company, csv(*ROWS[2:], other), "next.csv")
    assert (answer["code"], answer["lines"], answer["held"]) == (201, 1, 3)
    assert len(lines_of(session)) == 5 and len(lines_of(session, "413")) == 1


def test_like_rows_are_counted_as_often_as_a_file_has_them(
    session: Session, company: Company
) -> None:
    fee = ROWS[3]  # a terminal fee without a transaction reference
    assert bring(session, company, csv(fee, fee), "two.csv")["lines"] == 2
    answer = bring(session, company, csv(fee, fee, fee), "three.csv")
    assert (answer["lines"], answer["held"]) == (1, 2)
    later = fee.replace("06:00:00", "07:30:00")  # the same fee again later that day: another
    assert bring(session, company, csv(later), "later.csv")["lines"] == 1
    assert len(lines_of(session)) == 4


def test_lines_stored_before_rows_had_an_identity_are_known_by_their_fields(
    session: Session, company: Company
) -> None:
    bring(session, company, MORNING, "morning.csv")
    for line in lines_of(session):
        line.identity = ""
        session.add(line)
    session.commit()
    answer = bring(session, company, EVENING, "evening.csv")
    assert (answer["code"], answer["lines"], answer["held"]) == (201, 3, 1)


def test_api_cli_and_upload_answer_alike(client, runner, auth, session, company, headers, tmp_path):
    api = f"{SETTLEMENTS}?profile=adyen"
    assert client.post(f"{api}&filename=m.csv", data=MORNING, headers=headers).status_code == 201
    path = tmp_path / "evening.csv"
    path.write_bytes(EVENING)
    args = ["settlements", "import", "--company", ORGNR, "--profile", "adyen", str(path)]
    cli = runner.invoke(args=args)
    assert cli.exit_code == 0, cli.output
    assert cli.output.startswith("created: import 2 (3 line(s), 1 held already with adyen)")
    assert "1 line(s) an earlier file brought are held already" in cli.output
    again = client.post(api, data=EVENING, headers=headers)
    assert (again.status_code, again.json["status"], again.json["held"]) == (200, "unchanged", 1)
    refused = client.post(api, data=csv(NEW_SALE), headers=headers)
    assert (
        refused.status_code == 409
        and "Payout 412 is closed" in refused.json["errors"][0]["message"]
    )
    assert client.post(api, data=b"nothing,here\n", headers=headers).status_code == 422
    make_user(session, "admin@example.com", company, "admin")
    auth.login("admin@example.com")
    page = upload(client, company, "settlements", csv(NEW_SALE, ROWS[0]), "u.csv", profile="adyen")
    html = page.get_data(as_text=True)
    assert 'data-outcome="conflict"' in html and "Payout 412 is closed" in html
    assert 'id="settlement-file-2"' in html and "+ 1 held already" in html
