"""Payout fee vouchers with a third of Fortnox's answers failing or lost: one voucher each."""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session, select

from app.bank.fees_models import FeeState, PayoutFee
from tests.fees.conftest import adyen_file, adyen_payout, drain_fees, fee_vouchers, import_adyen
from tests.sandbox_fixtures import fortnox_company  # noqa: F401

PAYOUTS = 16


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    """A sandbox of its own with a generous rate limit (the faults are what is tested)."""
    from sandbox.testing import SandboxServer

    with SandboxServer(rate_count=5000, rate_window=1.0) as server:
        yield server


@pytest.fixture
def quick(app, monkeypatch) -> None:
    """Quick retries, many of them, and a budget that matches the sandbox's limit."""
    app.config.update(FORTNOX_RATE_COUNT=5000, FORTNOX_RATE_WINDOW=1.0)
    monkeypatch.setenv("KASSABOK_POSTING_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("KASSABOK_POSTING_BACKOFF_MAX", "0.5")
    monkeypatch.setenv("KASSABOK_POSTING_MAX_ATTEMPTS", "40")


def _payouts(rng: random.Random) -> tuple[list[str], dict[str, Decimal]]:
    """Adyen payouts over November and December with fees in öre; each one's expected total."""
    rows, expected = [], {}
    for n in range(PAYOUTS):
        batch = str(500 + n)
        sales = [
            (rng.choice(["visa", "mc", "maestro"]), f"{rng.randint(100, 99_999) / 100:.2f}", "")
            for _ in range(rng.randint(1, 4))
        ]
        sales = [(m, g, f"{rng.randint(1, 400) / 100:.2f}") for m, g, _ in sales]
        fee = f"{rng.randint(0, 3000) / 100:.2f}" if n % 3 == 0 else ""
        day = f"2026-{11 + n % 2}-{1 + n:02d}"
        rows.append(adyen_payout(batch, day, sales, fee))
        expected[batch] = sum((Decimal(c) for _, _, c in sales), Decimal(0)) + Decimal(fee or 0)
    return rows, expected


def test_under_faults_each_payouts_fee_voucher_exists_exactly_once(
    app, session: Session, books, quick
) -> None:
    rows, expected = _payouts(random.Random(17))
    first, second = adyen_file(*rows[: PAYOUTS // 2]), adyen_file(*rows[PAYOUTS // 2 :])
    books.sandbox.faults(0.3, ["lost_response", "500", "429"], 23)
    try:
        assert import_adyen(session, books.company, first, "a.csv") == 201
        assert import_adyen(session, books.company, second, "b.csv") == 201
        assert import_adyen(session, books.company, first, "a-again.csv") == 200
        drain_fees(app, session, timeout=170)
    finally:
        books.sandbox.faults(0.0, [], 0)
    session.expire_all()
    fees = session.exec(select(PayoutFee)).all()
    assert {f.payout_reference: f.amount for f in fees} == expected  # Decimal, to the öre
    assert {f.state for f in fees} == {FeeState.POSTED}
    assert max(f.attempts for f in fees) > 1  # the faults did strike
    found = fee_vouchers(books)
    assert sorted(found) == sorted(f"KB:FEE-{ref}" for ref in expected)
    for fee in fees:
        (only,) = found[f"KB:FEE-{fee.payout_reference}"]
        assert only["VoucherNumber"] == fee.voucher_number  # recorded what Fortnox holds
        voucher = books.fortnox(
            "GET",
            f"vouchers/{fee.voucher_series}/{fee.voucher_number}",
            financialyear=fee.voucher_year,
        )["Voucher"]
        debit = sum(Decimal(str(r["Debit"])) for r in voucher["VoucherRows"])
        assert debit.quantize(Decimal("0.01")) == fee.amount
