"""A payout's fee voucher waits for its payout, is dated on it, and is never posted twice."""

from __future__ import annotations

from decimal import Decimal

from flask import render_template
from sqlmodel import select

from app.bank.fees_models import FeeState, PayoutFee
from tests.fees.conftest import adyen_file, adyen_payout, drain_fees, fee_vouchers, import_adyen
from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401

F = FeeState
SALES = [("visa", "1000.00", "15.00"), ("mc", "500.00", "7.50")]


def _later_files_may_add_to_a_payout(monkeypatch) -> None:
    """As a corrected report would once the earlier one is replaced: today a payout's lines come
    from one file (app/bank/settlements.py refuses another with 409), so that check is lifted."""
    monkeypatch.setattr("app.bank.settlements._conflicts", lambda *_a: [])


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
    app, session, books, monkeypatch
) -> None:
    _later_files_may_add_to_a_payout(monkeypatch)
    assert import_adyen(session, books.company, adyen_file(_sales("90", "2026-11-20"))) == 201
    drain_fees(app, session)
    assert _fees(session) == [] and fee_vouchers(books) == {}  # fees seen on sales only

    later = adyen_file(_payout_row("90", "2026-11-24"))
    assert import_adyen(session, books.company, later, "payout.csv") == 201
    (fee,) = _fees(session)
    assert (fee.amount, fee.payout_date.isoformat()) == (Decimal("22.50"), "2026-11-24")
    drain_fees(app, session)
    session.refresh(fee)
    assert fee.state == F.POSTED, fee.state_reason
    (voucher,) = fee_vouchers(books)["KB:FEE-90"]
    assert voucher["TransactionDate"] == "2026-11-24"  # the payout's day, not the sales'


def test_a_fee_arriving_after_the_post_is_a_finding_not_a_second_voucher(
    app, session, books, monkeypatch
) -> None:
    _later_files_may_add_to_a_payout(monkeypatch)
    import_adyen(session, books.company, adyen_file(adyen_payout("91", "2026-11-21", SALES)))
    drain_fees(app, session)
    (fee,) = _fees(session)
    assert fee.state == F.POSTED and fee.amount == Decimal("22.50")

    late_fee = (
        "Demo,DemoSE,,,,2026-11-21 23:10:00,CET,Fee,,SEK,,,1,SEK,49.00,,,,,,,Terminal fee,91,"
    )
    assert import_adyen(session, books.company, adyen_file(late_fee), "late-fee.csv") == 201
    drain_fees(app, session)
    (again,) = _fees(session)
    assert (again.id, again.state, again.amount) == (fee.id, F.POSTED, Decimal("22.50"))
    assert {k: len(v) for k, v in fee_vouchers(books).items()} == {"KB:FEE-91": 1}
    with app.test_request_context():
        html = render_template("bank/_fees.html", company=books.company, can_retry=True)
    assert 'class="alert alert--warning fee-changed"' in html and 'data-now="71.50"' in html


def test_a_payout_noted_at_nothing_is_queued_when_a_later_file_gives_it_fees(
    app, session, books, monkeypatch
) -> None:
    _later_files_may_add_to_a_payout(monkeypatch)
    free = [("visa", "80.00", "0.00")]
    import_adyen(session, books.company, adyen_file(adyen_payout("92", "2026-11-22", free)))
    (fee,) = _fees(session)
    assert fee.state == F.NOTHING
    late_fee = (
        "Demo,DemoSE,,,,2026-11-22 23:10:00,CET,Fee,,SEK,,,1,SEK,12.00,,,,,,,Terminal fee,92,"
    )
    import_adyen(session, books.company, adyen_file(late_fee), "late-fee.csv")
    drain_fees(app, session)
    (fee,) = _fees(session)
    assert (fee.state, fee.amount) == (F.POSTED, Decimal("12.00")), fee.state_reason
    assert {k: len(v) for k, v in fee_vouchers(books).items()} == {"KB:FEE-92": 1}
