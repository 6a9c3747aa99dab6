"""A payout's fee voucher waits for its payout, is dated on it, and is never posted twice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import render_template
from sqlmodel import select

from app.audit.models import AuditEvent
from app.bank.fees_models import FeeState, PayoutFee
from app.bank.models import SettlementFile
from app.bank.settlements import import_settlement, save_profile
from tests.fees.conftest import adyen_file, adyen_payout, drain_fees, fee_vouchers, import_adyen
from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401

F = FeeState
SALES = [("visa", "1000.00", "15.00"), ("mc", "500.00", "7.50")]


# A report that names each payout's date on its lines, and has no payout row: its payouts stay
# open to later files, so a fee may come after the voucher was posted.
DATED = {
    "label": "Kortinlösen AB",
    "delimiter": ";",
    "decimal": ",",
    "date_format": "%Y-%m-%d",
    "columns": {
        "transaction_date": "Datum",
        "payout_reference": "Utbetalning",
        "payout_date": "Utbetalas",
        "payment_method": "Kort",
        "reference": "Id",
    },
    "money": {"gross": ["Brutto"], "fee": ["Avgift"]},
}


@pytest.fixture
def dated(session, books):
    """Import rows in the dated profile (saved for the company); the answer's status code."""
    save_profile(session, company=books.company, name="kortinlosen", definition=DATED, user=None)

    def bring(name: str, *rows: str) -> int:
        raw = "Datum;Utbetalning;Utbetalas;Kort;Id;Brutto;Avgift\n" + "\n".join(rows)
        result = import_settlement(
            session,
            company=books.company,
            raw=raw.encode(),
            profile="kortinlosen",
            filename=name,
            source="cli",
        )
        session.commit()
        return result.status_code

    return bring


def _fees(session) -> list[PayoutFee]:
    session.expire_all()
    return list(session.exec(select(PayoutFee).order_by(PayoutFee.id)).all())


def _sales(batch: str, day: str, fee: str = "") -> str:
    """The batch's sale (and fee) rows without its payout row: not paid out yet."""
    return "\n".join(adyen_payout(batch, day, SALES, fee).split("\n")[:-1])


def _payout_row(batch: str, day: str) -> str:
    """Only the batch's payout row, on day."""
    return adyen_payout(batch, day, SALES).split("\n")[-1]


def test_sales_without_their_payout_get_no_voucher_until_the_payout_comes(
    app, session, books
) -> None:
    assert import_adyen(session, books.company, adyen_file(_sales("90", "2026-11-20"))) == 201
    drain_fees(app, session)
    assert _fees(session) == [] and fee_vouchers(books) == {}  # fees seen on sales only

    # The payout's file repeats a sale the first brought: its fee is counted once.
    repeated = _sales("90", "2026-11-20").split("\n")[0]
    later = adyen_file(repeated, _payout_row("90", "2026-11-24"))
    assert import_adyen(session, books.company, later, "payout.csv") == 201
    (fee,) = _fees(session)
    assert (fee.amount, fee.payout_date.isoformat()) == (Decimal("22.50"), "2026-11-24")
    drain_fees(app, session)
    session.refresh(fee)
    assert fee.state == F.POSTED, fee.state_reason
    (voucher,) = fee_vouchers(books)["KB:FEE-90"]
    assert voucher["TransactionDate"] == "2026-11-24"  # the payout's day, not the sales'


def test_a_paid_out_payout_takes_no_late_fee_and_keeps_its_one_voucher(app, session, books) -> None:
    import_adyen(session, books.company, adyen_file(adyen_payout("91", "2026-11-21", SALES)))
    drain_fees(app, session)
    (fee,) = _fees(session)
    assert fee.state == F.POSTED and fee.amount == Decimal("22.50")

    late_fee = (
        "Demo,DemoSE,,,,2026-11-21 23:10:00,CET,Fee,,SEK,,,1,SEK,49.00,,,,,,,Terminal fee,91,"
    )
    assert import_adyen(session, books.company, adyen_file(late_fee), "late-fee.csv") == 409
    refused = session.exec(select(SettlementFile).where(SettlementFile.status == "conflict")).one()
    assert "Payout 91 is closed" in refused.errors[0]["message"]
    drain_fees(app, session)
    (again,) = _fees(session)
    assert (again.id, again.state, again.amount) == (fee.id, F.POSTED, Decimal("22.50"))
    assert {k: len(v) for k, v in fee_vouchers(books).items()} == {"KB:FEE-91": 1}


def test_a_fee_arriving_after_the_post_is_a_finding_on_the_list_and_the_trail(
    app, session, books, dated
) -> None:
    assert dated("u93.csv", "2026-11-21;U-93;2026-11-23;visa;t1;1000,00;15,00") == 201
    drain_fees(app, session)
    (fee,) = _fees(session)
    assert (fee.state, fee.amount) == (F.POSTED, Decimal("15.00")), fee.state_reason

    late = (
        "2026-11-21;U-93;2026-11-23;visa;t1;1000,00;15,00",
        "2026-11-22;U-93;2026-11-23;;f1;0,00;49,00",
    )
    assert dated("u93-late.csv", *late) == 201  # the first line again, and a fee
    drain_fees(app, session)
    (again,) = _fees(session)
    assert (again.id, again.state, again.amount) == (fee.id, F.POSTED, Decimal("15.00"))
    assert {k: len(v) for k, v in fee_vouchers(books).items()} == {"KB:FEE-U-93": 1}
    with app.test_request_context():
        html = render_template("bank/_fees.html", company=books.company, can_retry=True)
    assert 'class="alert alert--warning fee-changed"' in html and 'data-now="64.00"' in html
    (event,) = _findings(session)
    assert (event.target, event.detail["posted"], event.detail["now"]) == (
        "payout:U-93",
        "15.00",
        "64.00",
    )
    assert event.detail["file"] == "u93-late.csv"
    # A later line that leaves the fees as they were is no new finding.
    assert dated("u93-free.csv", "2026-11-22;U-93;2026-11-23;visa;t2;200,00;0,00") == 201
    assert len(_findings(session)) == 1


def _findings(session) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == "bank.fee_changed_after_post")
    return list(session.exec(query).all())


def test_a_payout_noted_at_nothing_is_queued_when_a_later_file_gives_it_fees(
    app, session, books, dated
) -> None:
    assert dated("u92.csv", "2026-11-22;U-92;2026-11-24;visa;t1;80,00;0,00") == 201
    (fee,) = _fees(session)
    assert fee.state == F.NOTHING
    assert dated("u92-fee.csv", "2026-11-22;U-92;2026-11-24;;f1;0,00;12,00") == 201
    drain_fees(app, session)
    (fee,) = _fees(session)
    assert (fee.state, fee.amount) == (F.POSTED, Decimal("12.00")), fee.state_reason
    assert {k: len(v) for k, v in fee_vouchers(books).items()} == {"KB:FEE-U-92": 1}
