"""Posting against the Fortnox sandbox: the SPEC example, faults, races, auth, corrections."""

from __future__ import annotations

import threading
from decimal import Decimal

from app.closures.models import ClosureState
from app.posting import jobs, service
from app.posting.reasons import english
from app.queue import get_queue
from tests.posting.conftest import fixture
from tests.posting.sandbox_support import (  # noqa: F401
    connected_books,
    drain,
    run_workers,
    vouchers_by_key,
    worker_env,
)
from tests.sandbox_fixtures import SCOPE, connect_company, fortnox_company, sandbox  # noqa: F401

S = ClosureState
# The SPEC's worked example, "Invoice" on, BAS mapping: (account, debit, credit).
SPEC_ROWS = {
    (1910, "1820.00", "0.00"),
    (1580, "9550.00", "0.00"),
    (1930, "1200.00", "0.00"),
    (2420, "300.00", "0.00"),
    (3740, "0.03", "0.00"),
    (3990, "20.00", "0.00"),
    (3002, "0.00", "7982.16"),
    (3001, "0.00", "2400.00"),
    (3003, "0.00", "471.70"),
    (2621, "0.00", "957.87"),
    (2611, "0.00", "600.00"),
    (2631, "0.00", "28.30"),
    (2890, "0.00", "250.00"),
    (2420, "0.00", "200.00"),
}


def _money(value: object) -> str:
    return f"{Decimal(str(value)):.2f}"


def test_spec_example_posts_exactly_those_rows_and_the_invoice(
    app, session, books, receive
) -> None:
    company = books.company
    company.invoice = company.tip_on_invoice = True
    session.add(company)
    session.commit()
    closure = receive(company, fixture("cafe-full-day"))
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED, closure.state_reason
    voucher = books.fortnox(
        "GET", f"vouchers/A/{closure.voucher_number}", financialyear=closure.voucher_year
    )["Voucher"]
    rows = {(r["Account"], _money(r["Debit"]), _money(r["Credit"])) for r in voucher["VoucherRows"]}
    assert rows == SPEC_ROWS
    assert {r["CostCenter"] for r in voucher["VoucherRows"]} == {"S12"}
    assert voucher["Description"] == "Z457 S12 2026-11-24 [KB:S12-Z457-r1]"
    invoices = books.fortnox(
        "GET", "invoices", externalinvoicereference1="KB:S12-Z457-r1:R1-104233"
    )["Invoices"]
    assert len(invoices) == 1
    invoice = books.fortnox("GET", f"invoices/{invoices[0]['DocumentNumber']}")["Invoice"]
    lines = {
        (r["AccountNumber"], _money(r["DeliveredQuantity"]), _money(r["Price"]), r["VAT"])
        for r in invoice["InvoiceRows"]
    }
    assert lines == {(3002, "8.00", "107.14", 12), (2890, "1.00", "40.00", 0)}
    assert invoice["CustomerNumber"] == "1001"


def test_two_workers_and_a_retry_click_post_once(app, session, books, receive) -> None:
    closure = receive(books.company, fixture("cafe-full-day", store_id="S14"))
    queue = get_queue("sync")
    for n in range(4):  # stale and duplicate jobs for the same closure, as races leave them
        queue.enqueue(jobs.POST_TASK, closure.id, job_id=f"race-{closure.id}-{n}")
    env = worker_env(app, books.sandbox)
    race = threading.Thread(target=run_workers, args=(env, 2, "--burst"))
    race.start()
    service.retry(session, closure_pk=closure.id, user=None)  # the click, mid-race
    session.commit()
    race.join()
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED
    assert len(vouchers_by_key(books)["KB:S14-Z457-r1"]) == 1


def test_auth_lost_holds_and_reconnecting_posts(app, session, books, receive) -> None:
    from app.fortnox import tokens

    conn = tokens.connection(session, books.company.id)
    tokens.lose(session, conn, "refresh token refused")
    session.commit()
    closure = receive(books.company, fixture("cafe-full-day"))
    assert (closure.state, closure.hold_code) == (S.HELD, "auth_lost")
    assert "reconnect" in english(closure.state_reason)
    connect_company(
        session, books.company, books.sandbox, books.tenant, SCOPE + " customer invoice order"
    )
    service.recheck_holds(session, books.company.id)  # what reconnecting calls
    session.commit()
    drain(app, session)
    session.refresh(closure)
    assert closure.state == S.POSTED and closure.voucher_number


def test_a_revision_after_posting_is_reversed_and_reposted(app, session, books, receive):
    company = books.company
    company.auto_correct = True
    session.add(company)
    session.commit()
    first = receive(company, fixture("cash-overage"))
    drain(app, session)
    session.refresh(first)
    assert first.state == S.POSTED
    recount = {"expected": "600.00", "counted": "605.00"}
    second = receive(company, fixture("cash-overage", revision=2, cash_count=recount))
    session.refresh(first)
    assert (first.state, first.superseded_by_id) == (S.SUPERSEDED, second.id)
    drain(app, session)
    session.refresh(first)
    session.refresh(second)
    assert first.reversal_number and second.state == S.POSTED
    found = vouchers_by_key(books)
    assert {k: len(v) for k, v in found.items()} == {
        "KB:S12-Z459-r1": 1,
        "KB:S12-Z459-r1-REV": 1,
        "KB:S12-Z459-r2": 1,
    }
    old = books.fortnox("GET", f"vouchers/A/{first.voucher_number}")["Voucher"]["VoucherRows"]
    rev = books.fortnox("GET", f"vouchers/A/{first.reversal_number}")["Voucher"]["VoucherRows"]
    assert sorted((r["Account"], _money(r["Debit"])) for r in old) == sorted(
        (r["Account"], _money(r["Credit"])) for r in rev
    )
