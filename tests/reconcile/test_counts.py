"""One definition of every count: a reviewed day is "reviewed" everywhere; approvals count."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from app.closures.models import Closure, ClosureState
from app.reconcile.counts import NEEDS_SOMEONE, attention, awaiting_days, cell_status
from app.reconcile.grid import month_grid
from app.reconcile.models import Review
from app.reconcile.report import closure_rows, day_rows
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month
from tests.reconcile.test_views import DAY, MONTH


@pytest.mark.parametrize(
    ("found", "differs", "reviewed", "status"),
    [
        (["mismatch"], False, True, "reviewed"),
        (["matched"], True, True, "reviewed"),  # Fortnox differs on the day; reviewed
        (["matched"], True, False, "mismatch"),
        (["mismatch", "missing"], False, True, "missing"),  # a review fixes no missing voucher
        (["held"], True, True, "held"),
        (["duplicate"], False, True, "duplicate"),
        (["matched"], False, True, "matched"),
    ],
)
def test_a_review_settles_a_mismatch_and_nothing_else(found, differs, reviewed, status) -> None:
    assert cell_status(found, differs, reviewed) == status
    assert status != "reviewed" or "reviewed" not in NEEDS_SOMEONE


@pytest.fixture
def world(app, session):  # type: ignore[no-untyped-def]
    """The seeded month; S01's 3rd (rows differ) reviewed by an accountant."""
    company = make_company(session)
    stores = seed_month(session, company, 4, MONTH, days=12)
    eva = make_user(session, "acc@x.se", company, "accountant")
    eva.name = "Eva Ek"
    session.add(eva)
    session.add(
        Review(
            company_id=company.id or 0,
            store_pk=stores[0].id,
            store_code="S01",
            business_date=MONTH.replace(day=3),
            comment="Moved by hand, agreed with the store.",
            user_id=eva.id,
        )
    )
    session.commit()
    return company


def test_a_reviewed_day_counts_as_reviewed_on_grid_overview_and_api(world, session) -> None:
    grid = month_grid(session, world, None, MONTH)
    assert grid.cell("S01", MONTH.replace(day=3)).status == "reviewed"
    assert (grid.counts["reviewed"], grid.counts["mismatch"]) == (1, 1)  # S04's 7th still differs
    found = attention(session, {world.id: None})
    listed = {(a.store_code, a.day.day): a.status for a in found}
    assert ("S01", 3) not in listed and listed[("S04", 7)] == "mismatch"
    for status in NEEDS_SOMEONE:  # the overview's counts are the legend's
        assert sum(a.status == status for a in found) == grid.counts[status], status
    last = MONTH.replace(day=12)
    closures = {(r["store"], r["date"]): r for r in closure_rows(session, world.id, MONTH, last)}
    s01 = closures[("S01", DAY(3))]
    assert s01["status"] == "reviewed" and s01["differences"]
    assert {d["difference"] for d in s01["differences"]} == {"100.00", "-100.00"}
    assert s01["reviews"][0]["by"] == "Eva Ek"
    assert s01["reviews"][0]["comment"] == "Moved by hand, agreed with the store."
    days = {(d["store"], d["date"]): d for d in day_rows(session, world.id, MONTH, last)}
    assert days[("S01", DAY(3))]["status"] == "reviewed"
    assert days[("S04", DAY(7))]["status"] == "mismatch"
    assert {x["difference"] for x in days[("S04", DAY(7))]["differences"]} == {"120.00", "-120.00"}


def test_the_api_says_reviewed(world, client, auth) -> None:
    auth.login("acc@x.se")
    url = f"/api/v1/reconciliation?company={world.orgnr}&from={MONTH}&to={DAY(12)}"
    body = client.get(url).get_json()
    day = next(d for d in body["store_days"] if (d["store"], d["date"]) == ("S01", DAY(3)))
    assert day["status"] == "reviewed" and day["reviews"][0]["by"] == "Eva Ek"
    statuses = {c["status"] for c in body["closures"] if c["store"] == "S01"}
    assert "reviewed" in statuses and "mismatch" not in statuses


def test_a_pending_closure_on_a_differing_day_counts_alike_in_grid_and_attention(
    world, session
) -> None:
    """The worst of all the day's closures decides, in the grid and in the overview alike."""
    seventh = MONTH.replace(day=7)
    first = session.exec(
        select(Closure).where(Closure.store_code == "S04", Closure.business_date == seventh)
    ).one()
    second = Closure(
        **{
            **first.model_dump(exclude={"id", "closure_id", "register_id", "state"}),
            "closure_id": first.closure_id + "-R2",
            "register_id": "R2",
            "state": ClosureState.AWAITING_APPROVAL,
        }
    )
    session.add(second)
    session.commit()
    grid = month_grid(session, world, None, MONTH)
    found = {(a.store_code, a.day): a.status for a in attention(session, {world.id: None})}
    assert grid.cell("S04", seventh).status == "pending"
    assert ("S04", seventh) not in found
    waiting = {(a.store_code, a.day, a.status) for a in awaiting_days(session, {world.id: None})}
    assert ("S04", seventh, "awaiting_approval") in waiting


def test_overview_never_says_nothing_to_do_while_a_closure_awaits_approval(
    app, session: Session, client, auth
) -> None:
    from tests.factories import make_store
    from tests.overview.test_overview import _closure

    company = make_company(session)
    store = make_store(session, company)
    make_user(session, "acc@x.se", company, "accountant")
    _closure(session, company, store, date(2026, 11, 3), ClosureState.AWAITING_APPROVAL)
    auth.login("acc@x.se")
    page = client.get("/").get_data(as_text=True)
    assert "Nothing to do" not in page and "Nothing needs you" not in page
    listed = page.split('id="attention"')[1]
    assert "/cell/S12/2026-11-03" in listed and "Awaiting approval" in listed
    assert "Approve it (an accountant or admin); it then posts" in listed
    assert f'<a href="/c/{company.id}/dashboard?month=2026-11">' in page  # opens that month


def test_a_review_takes_the_day_off_the_overview_counts(world, session, client, auth) -> None:
    """Reviewing the other differing day too takes the mismatch count to 0."""
    from app.auth.models import User
    from app.overview.service import overview_rows

    user = session.exec(select(User).where(User.email == "acc@x.se")).one()
    row = overview_rows(session, user)[0]
    assert row.needs_someone == sum(row.counts.values()) > 0
    assert row.counts["mismatch"] == 1
    session.add(
        Review(
            company_id=world.id or 0,
            store_code="S04",
            business_date=MONTH.replace(day=7),
            comment="Staff coffee.",
        )
    )
    session.commit()
    assert overview_rows(session, user)[0].counts["mismatch"] == 0


def test_the_exports_say_reviewed_too(world, session, client, auth) -> None:
    """The day booked by hand (S04's 7th), reviewed: its exception row and grid row say so."""
    session.add(
        Review(
            company_id=world.id or 0,
            store_code="S04",
            business_date=MONTH.replace(day=7),
            comment="Staff coffee.",
        )
    )
    session.commit()
    auth.login("acc@x.se")
    base = f"/c/{world.id}/dashboard/export"
    exceptions = client.get(f"{base}/exceptions.csv?month={MONTH:%Y-%m}").get_data(as_text=True)
    line = next(x for x in exceptions.splitlines() if x.startswith(f"S04,{DAY(7)},"))
    assert ",Reviewed," in line and "Mismatch" not in line
    grid = client.get(f"{base}/grid.csv?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert f"S04,Store 4,{DAY(7)},Reviewed," in grid
    assert f"S01,Store 1,{DAY(3)},Reviewed," in grid
