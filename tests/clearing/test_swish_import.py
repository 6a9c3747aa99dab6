"""A camt.053 with Swish entries, imported: the stores' Swish numbers settle their Swish days."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.bank.models import BankEntry
from app.clearing.models import ClearingAlias, ClearingDay
from app.clearing.read import roll_forwards, stored, unmatched_credits
from app.clearing.service import recompute
from app.clearing.settings import add_swish_number
from app.companies.models import Company
from tests.clearing.swish_month import NUMBERS, REFUND, SHORT, SHORT_DAY, Swish, swish_in_books
from tests.factories import make_user

JAN = (date(2026, 1, 1), date(2026, 1, 31))
TODAY = date(2026, 2, 20)


@pytest.fixture
def swish(app: Flask, session: Session, company: Company) -> Swish:
    """January of three stores, two taking Swish, with its Swish entries in the statement."""
    return swish_in_books(app, session, company)


def _days(session: Session, company: Company) -> dict[tuple[str, date], ClearingDay]:
    session.expire_all()
    rows = session.exec(
        select(ClearingDay).where(
            ClearingDay.company_id == company.id, ClearingDay.method == "SWISH"
        )
    )
    return {(r.store_code, r.business_date): r for r in rows}


def test_swish_numbers_settle_the_days_and_the_1930_roll_forward_closes(
    session: Session, company: Company, swish: Swish
) -> None:
    for store, number in NUMBERS.items():
        add_swish_number(session, company_id=company.id, number=number, code=store, user=None)
    recompute(session, company.id, today=TODAY)
    session.commit()
    days = _days(session, company)
    assert len(days) == len(swish.takings)
    status = {k: d.status for k, d in days.items()}
    assert {k for k, s in status.items() if s != "settled"} == {("S02", SHORT_DAY)}
    short = days[("S02", SHORT_DAY)]
    assert (short.status, short.difference) == ("short", SHORT) and len(short.entry_ids) == 1
    refund_day = days[("S01", date(2026, 1, 14))]
    debits = session.exec(select(BankEntry).where(BankEntry.id.in_(refund_day.entry_ids)))
    assert sorted(e.signed_amount for e in debits)[0] == -REFUND  # the refund nets the day
    day_rows, payouts = stored(session, company.id)
    [rf] = [r for r in roll_forwards(day_rows, payouts, *JAN) if r.account == "1930"]
    assert rf.methods == ("SWISH",) and rf.sales == sum(swish.takings.values())
    in_feb = sum(v for k, v in swish.takings.items() if swish.booked.get(k, JAN[0]) > JAN[1])
    assert in_feb and rf.in_transit == in_feb  # S02's sums of 30 and 31 January, booked 2 Feb
    assert [(f.kind, f.store, f.day, f.amount) for f in rf.findings] == [
        ("swish_short", "S02", SHORT_DAY, SHORT)
    ]
    assert rf.closing == rf.in_transit + SHORT and rf.unexplained == 0
    feb = roll_forwards(day_rows, payouts, date(2026, 2, 1), date(2026, 2, 28))
    assert [r.closing for r in feb if r.account == "1930"] == [SHORT]
    unmatched = unmatched_credits(session, company.id, *JAN)
    assert [e.signed_amount for e in unmatched if "Swish" in e.remittance] == [Decimal("199.00")]


def test_the_settings_page_names_swish_numbers_with_validation(
    client: FlaskClient, auth, session: Session, company: Company, swish: Swish
) -> None:
    url = f"/c/{company.id}/clearing/settings"
    recompute(session, company.id, today=TODAY)
    session.commit()
    # Two stores take Swish and no store has a number yet: no entry can be given to a store.
    assert {d.status for d in _days(session, company).values()} == {"late"}
    make_user(session, "acc@example.com", company, "accountant")
    auth.login("acc@example.com")
    # Matched by hand, the sum of 20 January pays S02's day: short by what it lacks, not late.
    summed = session.exec(
        select(BankEntry).where(BankEntry.remittance.contains("DAGSSUMMA 2026-01-20"))
    ).one()
    form = {"action": "match", "target": "swish:S02", "month": "2026-01"}
    assert (
        client.post(f"/c/{company.id}/clearing/entries/{summed.id}", data=form).status_code == 303
    )
    by_hand = _days(session, company)[("S02", SHORT_DAY)]
    assert (by_hand.status, by_hand.difference, by_hand.entry_ids) == ("short", SHORT, [summed.id])
    page = client.get(url).get_data(as_text=True)
    for number in ("1231111111", "1232222222", "1239999999"):
        assert f'data-number="{number}"' in page  # seen in the bank, no store has it
    for bad in ("", "12311111", "1241111111", "123111111x", "12311111111"):
        refused = client.post(url, data={"what": "swish", "number": bad, "code": "S01"})
        text = refused.get_data(as_text=True)
        assert refused.status_code == 422, bad
        assert "has 10 digits and starts with 123" in text and 'aria-invalid="true"' in text
    refused = client.post(url, data={"what": "swish", "number": "1231111111", "code": "S99"})
    assert refused.status_code == 422 and "Choose the store" in refused.get_data(as_text=True)
    for store, written in (("S01", "123 111 11 11"), ("S02", "123-222 22 22")):
        saved = client.post(url, data={"what": "swish", "number": written, "code": store})
        assert saved.status_code == 303
    again = client.post(url, data={"what": "swish", "number": "1231111111", "code": "S02"})
    assert again.status_code == 422
    assert "already the Swish number of S01" in again.get_data(as_text=True)
    rows = session.exec(select(ClearingAlias).where(ClearingAlias.kind == "swish")).all()
    assert {(r.word, r.code) for r in rows} == {(n, s) for s, n in NUMBERS.items()}
    page = client.get(url).get_data(as_text=True)
    assert 'data-number="1239999999"' in page and "123 111 11 11" in page
    assert {d.status for d in _days(session, company).values()} >= {"settled", "short"}
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "clearing.alias_added"))
    assert {e.detail["word"] for e in events} == set(NUMBERS.values())
    s01 = next(r for r in rows if r.code == "S01")
    removed = client.post(url, data={"what": "swish_remove", "alias_id": str(s01.id)})
    assert removed.status_code == 303
    days = _days(session, company)
    assert {d.status for k, d in days.items() if k[0] == "S01"} == {"late"}


def test_the_month_shows_swish_days_and_the_stranger(
    client: FlaskClient, auth, session: Session, company: Company, swish: Swish
) -> None:
    for store, number in NUMBERS.items():
        add_swish_number(session, company_id=company.id, number=number, code=store, user=None)
    recompute(session, company.id, today=TODAY)
    session.commit()
    make_user(session, "acc@example.com", company, "accountant")
    auth.login("acc@example.com")
    page = client.get(f"/c/{company.id}/clearing?month=2026-01").get_data(as_text=True)
    assert 'id="account-1930"' in page and 'data-kind="swish_short"' in page
    assert 'data-method="SWISH"' in page and re.search(r"Short by SEK\s75\.00", page)
    assert "Swish 123 999 99 99" in page and 'value="swish:S02"' in page
    detail = client.get(f"/c/{company.id}/clearing/day/S02/{SHORT_DAY}/SWISH").get_data(
        as_text=True
    )
    assert 'data-status="short"' in detail and "DAGSSUMMA 2026-01-20" in detail
    assert "Settled by the acquirer" not in detail
