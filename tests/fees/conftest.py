"""Payout fee vouchers against the sandbox: books with a fee account, imports, jobs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from app.bank.fees_models import FeeState, PayoutFee
from app.bank.settlements import import_settlement
from tests.posting.conftest import mapping_data, save_mapping
from tests.sandbox_fixtures import SCOPE, connect_company

ADYEN_HEAD = (
    "Company Account,Merchant Account,Psp Reference,Merchant Reference,Payment Method,"
    "Creation Date,TimeZone,Type,Modification Reference,Gross Currency,Gross Debit (GC),"
    "Gross Credit (GC),Exchange Rate,Net Currency,Net Debit (NC),Net Credit (NC),Commission (NC),"
    "Markup (NC),Scheme Fees (NC),Interchange (NC),Payment Method Variant,"
    "Modification Merchant Reference,Batch Number,Store"
)


def fee_mapping(**other: str) -> dict[str, Any]:
    """The SPEC's BAS mapping (stores S12, S14) with the fee account, or other `other` accounts."""
    data = mapping_data()
    data["stores"] = {s: {"name": s, "cost_center": s} for s in ("S12", "S14")}
    data["other"] = {**data["other"], "FEES": "6570", **other}
    data["other"] = {k: v for k, v in data["other"].items() if v}
    return data


@pytest.fixture(autouse=True)
def _app_context(app: Flask) -> Iterator[None]:
    """The fee services run inside an app context, as in a request or a job."""
    with app.app_context():
        yield


@pytest.fixture
def books(app: Flask, session: Session, fortnox_company: Any) -> Any:
    """The sandbox-connected company with the BAS mapping and its fee account 6570."""
    save_mapping(session, fortnox_company.company, fee_mapping())
    with app.app_context():
        connect_company(
            session,
            fortnox_company.company,
            fortnox_company.sandbox,
            fortnox_company.tenant,
            SCOPE + " customer invoice order",
        )
    return fortnox_company


def adyen_payout(batch: str, day: str, sales: list[tuple[str, str, str]], fee: str = "") -> str:
    """Adyen settlement rows of one payout: sales (method, gross, commission), a fee, the payout."""
    rows, net_total = [], Decimal(0)
    for n, (method, gross, commission) in enumerate(sales, 1):
        net = Decimal(gross) - Decimal(commission)
        net_total += net
        rows.append(
            f"Demo,DemoSE,{batch}{n:04d},ref-{batch}-{n},{method},{day} 12:00:00,CET,Settled,,"
            f"SEK,,{gross},1,SEK,,{net:.2f},0.00,{commission},0.00,0.00,{method},,{batch},S12"
        )
    if fee:
        net_total -= Decimal(fee)
        rows.append(
            f"Demo,DemoSE,,,,{day} 23:00:00,CET,Fee,,SEK,,,1,SEK,{fee},,,,,,,Terminal fee,{batch},"
        )
    rows.append(
        f"Demo,DemoSE,,,,{day} 23:30:00,CET,MerchantPayout,,SEK,,,1,SEK,{net_total:.2f},,,,,,,"
        f"payout {batch},{batch},"
    )
    return "\n".join(rows)


def adyen_file(*payouts: str) -> bytes:
    """A settlement details report of the payouts' rows."""
    return ("\n".join([ADYEN_HEAD, *payouts]) + "\n").encode()


def import_adyen(session: Session, company: Any, raw: bytes, name: str = "adyen.csv") -> int:
    """Import a settlement file as an upload would, commit; the answer's status code."""
    result = import_settlement(
        session, company=company, raw=raw, profile="adyen", filename=name, source="cli"
    )
    session.commit()
    return result.status_code


def drain_fees(app: Flask, session: Session, timeout: float = 120) -> None:
    """Run sync jobs (due retries included) until no fee voucher is queued or posting."""
    from rq import SimpleWorker

    from app.queue import get_queue

    deadline = time.monotonic() + timeout
    busy = (FeeState.QUEUED, FeeState.POSTING)
    while time.monotonic() < deadline:
        with app.app_context():
            queue = get_queue("sync")
            SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=True)
        session.expire_all()
        if session.exec(select(PayoutFee.id).where(PayoutFee.state.in_(busy))).first() is None:
            return
        time.sleep(0.05)
    raise AssertionError("fee vouchers still queued or posting after the timeout")


def fee_vouchers(fc: Any) -> dict[str, list[dict]]:
    """The tenant's vouchers whose description carries a payout fee key, by key."""
    from tests.posting.sandbox_support import vouchers_by_key

    return {k: v for k, v in vouchers_by_key(fc).items() if k.startswith("KB:FEE-")}
