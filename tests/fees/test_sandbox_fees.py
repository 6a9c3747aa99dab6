"""Payout fee vouchers posted to the Fortnox sandbox: once, held with a reason, swept, shown."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask_babel import force_locale
from sqlmodel import select

from app.audit.labels import target
from app.audit.models import AuditEvent
from app.bank.fees_jobs import sweep
from app.bank.fees_models import FeeState, PayoutFee
from app.db import utcnow
from app.fortnox.preflight import run_and_store
from app.mapping.rechecks import after_change
from tests.bank.conftest import settlement_file
from tests.fees.conftest import (
    adyen_file,
    adyen_payout,
    drain_fees,
    fee_mapping,
    fee_vouchers,
    import_adyen,
)
from tests.posting.conftest import save_mapping
from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401

F = FeeState


def _money(value: object) -> str:
    return f"{Decimal(str(value)):.2f}"


def _fees(session) -> list[PayoutFee]:
    session.expire_all()
    return list(session.exec(select(PayoutFee).order_by(PayoutFee.id)).all())


def test_a_payouts_fee_voucher_posts_once_and_the_same_file_again_posts_nothing(
    app, session, books
) -> None:
    raw = settlement_file("adyen-settlement-details.csv")
    assert import_adyen(session, books.company, raw) == 201
    (fee,) = _fees(session)
    assert (fee.state, fee.amount, fee.payout_reference) == (F.QUEUED, Decimal("42.65"), "412")
    drain_fees(app, session)
    session.refresh(fee)
    assert fee.state == F.POSTED, fee.state_reason
    voucher = books.fortnox(
        "GET", f"vouchers/{fee.voucher_series}/{fee.voucher_number}", financialyear=fee.voucher_year
    )["Voucher"]
    rows = {(r["Account"], _money(r["Debit"]), _money(r["Credit"])) for r in voucher["VoucherRows"]}
    assert rows == {(6570, "42.65", "0.00"), (1580, "0.00", "42.65")}
    assert voucher["Description"] == "Fees adyen payout 412 2026-11-26 [KB:FEE-412]"
    assert voucher["TransactionDate"] == "2026-11-26"
    assert voucher["VoucherSeries"] == books.company.voucher_series
    trail = session.exec(
        select(AuditEvent).where(AuditEvent.action == "bank.fee_voucher_posted")
    ).all()
    assert [(e.target, e.detail["answer"][1]) for e in trail] == [
        ("payout:412", fee.voucher_number)
    ]
    with app.test_request_context(), force_locale("sv"):
        assert target(books.company.id, "payout:412").text == "Utbetalning 412"

    assert import_adyen(session, books.company, raw, "again.csv") == 200
    drain_fees(app, session)
    assert [f.id for f in _fees(session)] == [fee.id]
    assert {k: len(v) for k, v in fee_vouchers(books).items()} == {"KB:FEE-412": 1}


def test_a_missing_fee_account_holds_with_its_fix_until_it_is_mapped(app, session, books) -> None:
    save_mapping(session, books.company, fee_mapping(FEES=""))  # no fee account
    import_adyen(
        session,
        books.company,
        adyen_file(adyen_payout("77", "2026-11-20", [("visa", "100.00", "1.85")])),
    )
    drain_fees(app, session)
    (fee,) = _fees(session)
    assert fee.state == F.HELD and fee.hold_code == "unmapped_other"
    assert "FEES" in fee.state_reason and fee.voucher_number is None
    assert fee_vouchers(books) == {}
    save_mapping(session, books.company, fee_mapping())
    after_change(session, books.company.id)  # as the mapping page does after a save
    session.commit()
    drain_fees(app, session)
    session.refresh(fee)
    assert fee.state == F.POSTED and fee.amount == Decimal("1.85")
    assert {k: len(v) for k, v in fee_vouchers(books).items()} == {"KB:FEE-77": 1}


def test_a_fee_account_missing_in_fortnox_is_a_red_preflight_line_and_holds(
    app, session, books
) -> None:
    save_mapping(session, books.company, fee_mapping(FEES="6579"))  # not in the BAS chart
    checks = run_and_store(books.company.id)
    (line,) = [c for c in checks if c.key == "account:6579"]
    assert not line.ok and line.params["uses"] == ["FEES"]
    with app.test_request_context(), force_locale("en"):
        assert "6579" in line.title and "fees" in line.title
        assert line.fix == "Create the account in Fortnox, or map another one."
    import_adyen(
        session,
        books.company,
        adyen_file(adyen_payout("78", "2026-11-21", [("mc", "50.00", "0.90")])),
    )
    drain_fees(app, session)
    (fee,) = _fees(session)
    assert fee.state == F.HELD and fee.hold_code == "preflight_failed"
    assert fee_vouchers(books) == {}


def test_a_payout_without_fees_posts_nothing(app, session, books) -> None:
    import_adyen(
        session,
        books.company,
        adyen_file(adyen_payout("79", "2026-11-22", [("visa", "80.00", "0.00")])),
    )
    drain_fees(app, session)
    (fee,) = _fees(session)
    assert fee.state == F.NOTHING and fee.amount == Decimal("0.00")
    assert fee_vouchers(books) == {}


def test_a_post_a_dead_worker_left_in_doubt_is_found_in_fortnox_not_sent_again(
    app, session, books
) -> None:
    import_adyen(
        session,
        books.company,
        adyen_file(adyen_payout("80", "2026-11-23", [("visa", "10.00", "0.19")])),
    )
    drain_fees(app, session)
    (fee,) = _fees(session)
    number = fee.voucher_number
    # As if the worker died after Fortnox booked it, before the answer was recorded.
    fee.state, fee.voucher_number, fee.voucher_series, fee.voucher_year = (
        F.POSTING,
        None,
        None,
        None,
    )
    fee.outcome_unknown, fee.state_changed_at = True, utcnow() - timedelta(hours=1)
    session.add(fee)
    session.commit()
    assert sweep(session) == {"fees_recovered": 1}
    drain_fees(app, session)
    session.refresh(fee)
    assert fee.state == F.POSTED and fee.voucher_number == number and not fee.outcome_unknown
    assert {k: len(v) for k, v in fee_vouchers(books).items()} == {"KB:FEE-80": 1}


def test_the_bank_page_lists_each_payouts_fee_voucher_with_its_number(
    app, session, books, client, auth
) -> None:
    from tests.factories import make_user

    make_user(session, "acc@example.com", books.company, "accountant")
    auth.login("acc@example.com")
    import_adyen(session, books.company, settlement_file("adyen-settlement-details.csv"))
    page = client.get(f"/c/{books.company.id}/bank").get_data(as_text=True)
    assert 'id="payout-fees"' in page and "hx-trigger" in page.split('id="payout-fees"')[1][:400]
    drain_fees(app, session)
    (fee,) = _fees(session)
    part = client.get(f"/c/{books.company.id}/bank/fees", headers={"HX-Request": "true"})
    html = part.get_data(as_text=True)
    assert "<html" not in html and f'id="payout-fee-{fee.id}"' in html
    assert f"{fee.voucher_series} {fee.voucher_number}" in html and "Posted" in html
    assert "hx-trigger" not in html  # nothing busy: it stops polling
