"""Helpers for posting against the sandbox: realistic closures, the BAS mapping, draining jobs."""

from __future__ import annotations

import random
import time
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from app.closures.models import Closure, ClosureState
from tests.posting.conftest import mapping_data, save_mapping

CENT = Decimal("0.01")
RATES = {"25": Decimal("0.25"), "12": Decimal("0.12"), "6": Decimal("0.06")}


def day_closure(store: str, z: int, day: str, rng: random.Random) -> dict[str, Any]:
    """A valid closure of an ordinary day: three groups, four payment methods, a cash count."""
    sales, gross_total = [], Decimal(0)
    for group, rate in (("FOOD", "12"), ("DRINKS", "25"), ("BOOKS", "6")):
        net = Decimal(rng.randint(5_000, 900_000)) / 100
        vat = (net * RATES[rate]).quantize(CENT)
        sales.append(
            {
                "product_group": group,
                "vat_rate": rate,
                "net": f"{net:.2f}",
                "vat": f"{vat:.2f}",
                "gross": f"{net + vat:.2f}",
            }
        )
        gross_total += net + vat
    card = (gross_total * Decimal(rng.randint(40, 70)) / 100).quantize(CENT)
    swish = (gross_total * Decimal(rng.randint(5, 20)) / 100).quantize(CENT)
    cash = gross_total - card - swish
    return {
        "schema": "kassabok.closure/1",
        "closure_id": f"bench:{store}:R1:Z{z}",
        "revision": 1,
        "store_id": store,
        "register_id": "R1",
        "z_number": z,
        "business_date": day,
        "opened_at": f"{day}T08:00:00+01:00",
        "closed_at": f"{day}T18:00:00+01:00",
        "currency": "SEK",
        "sales": sales,
        "payments": [
            {"method": "CASH", "amount": f"{cash:.2f}"},
            {"method": "CARD", "amount": f"{card:.2f}"},
            {"method": "SWISH", "amount": f"{swish:.2f}"},
        ],
        "cash_count": {"expected": f"{cash:.2f}", "counted": f"{cash:.2f}"},
    }


def use_bas(session: Session, company: Any) -> None:
    """Save the SPEC's BAS mapping for the sandbox's stores."""
    data = mapping_data()
    data["stores"] = {s: {"name": s, "cost_center": s} for s in ("S12", "S14")}
    save_mapping(session, company, data)


@pytest.fixture(name="books")
def connected_books(app: Flask, session: Session, fortnox_company: Any) -> Any:
    """The sandbox-connected company with the BAS mapping and every scope posting needs."""
    from tests.sandbox_fixtures import SCOPE, connect_company

    company = fortnox_company.company
    use_bas(session, company)
    with app.app_context():
        connect_company(
            session,
            company,
            fortnox_company.sandbox,
            fortnox_company.tenant,
            SCOPE + " customer invoice order",
        )
    return fortnox_company


def drain(app: Flask, session: Session, timeout: float = 120) -> None:
    """Run sync jobs (due scheduled retries included) until nothing is queued or posting."""
    from rq import SimpleWorker

    from app.queue import get_queue

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            queue = get_queue("sync")
            SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=True)
        session.expire_all()
        busy = (ClosureState.QUEUED, ClosureState.POSTING)
        if session.exec(select(Closure.id).where(Closure.state.in_(busy))).first() is None:
            return
        time.sleep(0.05)
    raise AssertionError("closures still queued or posting after the timeout")


def vouchers_by_key(fc: Any) -> dict[str, list[dict]]:
    """Every voucher in the tenant's books, grouped by the Kassabok key in its description."""
    found: dict[str, list[dict]] = {}
    page = 1
    while True:
        body = fc.fortnox("GET", "vouchers", limit=500, page=page)
        for v in body.get("Vouchers") or []:
            text = v.get("Description") or ""
            if "[KB:" in text:
                found.setdefault(text[text.index("[KB:") + 1 : text.rindex("]")], []).append(v)
        if page >= int(body["MetaInformation"]["@TotalPages"]):
            return found
        page += 1


def worker_env(app: Flask, sandbox: Any, **extra: str) -> dict[str, str]:
    """The environment a `python -m worker` subprocess needs to reach the test's sandbox."""
    import os

    return {
        **os.environ,
        "FORTNOX_API_URL": sandbox.url,
        "FORTNOX_AUTH_URL": sandbox.url,
        "FORTNOX_CLIENT_ID": app.config["FORTNOX_CLIENT_ID"],
        "FORTNOX_CLIENT_SECRET": app.config["FORTNOX_CLIENT_SECRET"],
        **extra,
    }


def run_workers(env: dict[str, str], count: int, *flags: str, timeout: float = 85) -> None:
    """Start count `python -m worker` processes with flags and wait for them all to exit 0."""
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "worker", "--queues", "sync", *flags]
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        codes = [p.wait(timeout) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert codes == [0] * count
