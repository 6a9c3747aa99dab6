"""The demo's bank: the seeded closures settled, paid and deposited, every difference planted."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlmodel import Session, func, select

from app import seed, seed_bank
from app.audit.models import AuditEvent
from app.bank.fees import post_payout_fee
from app.bank.fees_models import PayoutFee
from app.bank.models import BankStatementFile, SettlementFile
from app.bank.settlements import import_settlement
from app.clearing.facts import DayStatus
from app.clearing.models import ClearingDay
from app.clearing.rollforward import roll_forward
from app.clearing.service import compute
from app.queue import get_queue
from tests.test_seed import demo_company

# The 20th of last month: the demo's 24 days then cross a month end, and every plant is on show.
TODAY = (date.today().replace(day=1) - timedelta(days=1)).replace(day=20)
DAYS = 24
STORES = ("S12", "S14", "S20")


def _count(session: Session, model: Any) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _month(day: date) -> tuple[date, date]:
    nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day.replace(day=1), nxt - timedelta(days=1)


def test_seeded_bank_shows_the_till_to_bank_loop(
    app: Flask, session: Session, sandbox: Any
) -> None:
    with app.app_context():
        company = demo_company(app, session, sandbox)
        seed.seed_closures(session, company, sandbox.url, today=TODAY, days=DAYS)
        planted = seed_bank.seed_bank(session, company)
        assert planted is not None
        built, plant, cid = planted.month, planted.plant, company.id or 0

        # Both files came in through the import: kept raw, audited, matched, fee vouchers queued.
        [settlement] = session.exec(select(SettlementFile)).all()
        [statement] = session.exec(select(BankStatementFile)).all()
        assert (settlement.status, statement.status) == ("imported", "imported")
        assert settlement.raw == built.csv() and settlement.actor == "demo seed"
        actions = set(session.exec(select(AuditEvent.action)).all())
        assert {"bank.settlement_imported", "bank.statement_imported"} <= actions
        assert _count(session, ClearingDay) > 0
        fees = session.exec(select(PayoutFee).where(PayoutFee.state == "queued")).all()
        # Only batches the acquirer paid out have a voucher; the ones in transit wait for theirs.
        paid = {row.split(",")[-2] for row in built.rows if ",MerchantPayout," in row}
        assert {f.payout_reference for f in fees} == paid and paid < set(built.payouts)
        assert any(j.startswith("fee-") for j in get_queue("sync").job_ids)

        # The worker posts the fee vouchers to the sandbox.
        assert {post_payout_fee(session, fee.id or 0) for fee in fees} == {"posted"}

        out = compute(session, cid, today=TODAY)
        days = out.days
        status = {d.key: d for d in days}
        assert {str(d.status) for d in days} == set(DayStatus)
        [missing] = plant.missing
        unpaid = datetime.strptime(missing, "B%Y%m%d").date()
        late = {k for k, d in status.items() if d.status == DayStatus.LATE}
        assert late == {(s, unpaid, "CARD") for s in STORES}
        [(store, monday)] = plant.short_cash
        short = [d for d in days if d.status == DayStatus.SHORT]
        assert [(d.store, d.method, d.difference) for d in short] == [
            ("S14", "CASH", seed_bank.SHORT_CASH)
        ]
        assert short[0].day < monday
        [(store, refunded)] = plant.refunds
        refund_day = status[(store, refunded, "CARD")]
        assert (refund_day.status, refund_day.refunds) == (DayStatus.SETTLED, seed_bank.REFUND)
        last = max(d.day for d in days)
        assert status[("S20", last, "CARD")].status == DayStatus.IN_TRANSIT
        # One payout covers the last day of one month and the first of the next, paid in the next.
        first, end = planted.span
        across = next(p for p in out.payouts if p.reference == f"B{first:%Y%m%d}")
        assert across.how == "reference" and across.booked_on and across.booked_on > end
        spanned = [status[(s, d, "CARD")] for s in STORES for d in planted.span]
        assert {d.status for d in spanned} == {DayStatus.SETTLED}
        assert across.gross == sum((d.takings for d in spanned), Decimal(0))

        # Each account's month (this one up to the last day) closes to the planted differences.
        this, before = (TODAY.replace(day=1), last), _month(end - timedelta(days=1))
        card = roll_forward("1580", out.days, out.payouts, *this)
        assert [(f.kind, f.reference) for f in card.findings] == [("payout_missing", missing)]
        assert card.refunds == seed_bank.REFUND and card.fees > seed_bank.TERMINAL_FEE
        cash = roll_forward("1910", out.days, out.payouts, *this)
        assert [(f.kind, f.store, f.amount) for f in cash.findings] == [
            ("deposit_short", "S14", seed_bank.SHORT_CASH)
        ]
        swish = roll_forward("1930", out.days, out.payouts, *this)
        assert swish.findings == [] and swish.payouts > 0  # Swish all there but the last day
        for account in ("1580", "1910", "1930"):
            earlier = roll_forward(account, out.days, out.payouts, *before)
            assert earlier.findings == [] and earlier.in_transit > 0  # paid the next month
            now = roll_forward(account, out.days, out.payouts, *this)
            assert now.opening == earlier.closing and now.unexplained == 0 == earlier.unexplained
        assert card.closing - card.in_transit == built.payouts[missing]

        # A second seed imports nothing; the same file again is the same import.
        files = _count(session, SettlementFile) + _count(session, BankStatementFile)
        assert seed_bank.seed_bank(session, company) is None
        again = import_settlement(
            session,
            company=company,
            raw=settlement.raw,
            profile="adyen",
            filename="x.csv",
            source="upload",
        )
        assert again.status_code == 200 and again.file.id == settlement.id
        assert _count(session, SettlementFile) + _count(session, BankStatementFile) == files
