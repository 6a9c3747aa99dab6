"""A review is bound to the differences it saw: another difference later makes the day mismatched
again in the grid, the overview, the API, the exports and the panel, until someone reviews anew.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.companies.models import Company, Store
from app.reconcile import load, service
from app.reconcile.counts import attention, last_settled
from app.reconcile.day import DayLine, fingerprint, fingerprinted
from app.reconcile.grid import month_grid
from app.reconcile.models import Review
from app.reconcile.report import closure_rows, day_rows
from app.reconcile.reviews import Reviewed, changed, holds, reviewed_days, seen_now, settled
from tests.factories import make_company, make_user
from tests.reconcile.seeding import _cache, seed_month
from tests.reconcile.test_views import DAY, MONTH

HX = {"HX-Request": "true"}
SECOND = MONTH.replace(day=2)  # S02's 2nd: an ordinary matched day until a hand entry
LAST = MONTH.replace(day=12)


def _line(account: str, expected: str, actual: str) -> DayLine:
    return DayLine(account, "", Decimal(expected), Decimal(actual))


def test_the_fingerprint_is_canonical_and_keeps_only_the_differing_accounts() -> None:
    a = (_line("3001", "-100", "-100.00"), _line("1930", "500", "600.5"), _line("1910", "0", "-1"))
    b = (_line("1910", "0.00", "-1.00"), _line("1930", "500.00", "600.50"))
    assert fingerprint(a) == fingerprint(b) == "1910:0.00:-1.00;1930:500.00:600.50"
    assert fingerprint(()) == "" == fingerprint((_line("3001", "5", "5.00"),))
    again = fingerprinted(fingerprint(a))
    assert [(x.account, x.delta) for x in again] == [
        ("1910", Decimal("-1")),
        ("1930", Decimal("100.5")),
    ]


def _review(saw: str | None, now: str) -> Reviewed:
    return Reviewed("S01", MONTH, None, "ok", "Eva", saw=saw, now=now)  # type: ignore[arg-type]


def test_a_review_holds_while_the_day_has_what_it_saw() -> None:
    assert holds("5460:0.00:100.00", "5460:0.00:100.00")
    assert not holds("5460:0.00:100.00", "5460:0.00:250.00")
    assert not holds("", "5460:0.00:100.00")  # reviewed before any difference
    assert holds(None, "5460:0.00:250.00")  # a review from before they kept what they saw
    old, new = _review("5460:0.00:100.00", "5460:0.00:100.00"), _review("x:0:1", "x:0:2")
    assert settled([new, old]) and not settled([old, new]) and not settled([])  # latest decides
    signed = "{:+}".format
    assert changed(old, signed) is None
    assert changed(_review("5460:0.00:100.00", "5460:0.00:250.00"), signed) == (
        "+100.00",
        "+250.00",
    )
    moved = _review("1910:0.00:-100.00;5460:0.00:100.00", "1910:0.00:-250.00;5460:0.00:250.00")
    assert changed(moved, signed) == ("1910 -100.00, 5460 +100.00", "1910 -250.00, 5460 +250.00")
    added = _review("5460:0.00:100.00", "1910:0.00:-100.00;5460:0.00:200.00")  # net 100 either way
    assert changed(added, signed) == ("5460 +100.00", "1910 -100.00, 5460 +200.00")
    gone = _review("5460:0.00:100.00", "")
    assert changed(gone, signed) == ("+100.00", "+0.00")  # (this signed writes +0.00)


@pytest.fixture
def world(app, session: Session) -> tuple[Company, list[Store]]:
    """The seeded month; S02's 2nd differs by +100.00 on 5460 (a hand entry on its cost center)."""
    company = make_company(session)
    stores = seed_month(session, company, 4, MONTH, days=12)
    eva = make_user(session, "eva@x.se", company, "accountant", locale="sv")
    eva.name = "Eva Ek"
    session.add(eva)
    _hand_entry(session, company, stores[1], 95001, "100.00")
    return company, stores


def _hand_entry(session: Session, company: Company, store: Store, number: int, amount: str) -> None:
    """A voucher on the store's 2nd: 5460 debit on its cost center, 1910 credit on none; checked."""
    _next_request()
    session.commit()  # end this session's read: the app's requests wrote since (SQLite's WAL)
    rows = [
        ("5460", store.cost_center, Decimal(amount), Decimal("0")),
        ("1910", "", Decimal("0"), Decimal(amount)),
    ]
    _cache(session, company, "A", number, SECOND, "Kaffe", rows)
    session.commit()
    service.check(
        session, company, load.latest_closures(session, company.id or 0, MONTH, LAST), MONTH, LAST
    )
    session.commit()


def _next_request() -> None:
    """End the app's request session: here every request shares the test's app context (and
    so its session, with what it read), where in the portal each request has its own."""
    from app.db import close_session

    close_session()


def _everywhere(session: Session, company: Company, client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """S02's 2nd's status in the grid, the overview's list, the API's day rows and the CSV."""
    grid = month_grid(session, company, None, MONTH).cell("S02", SECOND).status
    listed = {(a.store_code, a.day): a.status for a in attention(session, {company.id: None})}
    days = {
        (d["store"], d["date"]): d["status"] for d in day_rows(session, company.id, MONTH, LAST)
    }
    csv = client.get(f"/c/{company.id}/dashboard/export/grid.csv?month={MONTH:%Y-%m}")
    line = next(
        x for x in csv.get_data(as_text=True).splitlines() if f"{SECOND}" in x and "S02" in x
    )
    return {
        "grid": grid,
        "attention": listed.get(("S02", SECOND), "not listed"),
        "day_rows": days[("S02", DAY(2))],
        "csv": line,
    }


def test_a_changed_difference_is_mismatched_again_everywhere_until_reviewed_anew(
    world, session: Session, client, auth
) -> None:
    company, stores = world
    auth.login("eva@x.se")
    url = f"/c/{company.id}/dashboard/cell/S02/{SECOND}"
    panel = client.get(url, headers=HX).get_data(as_text=True)
    assert 'name="seen" value="5460:0.00:100.00"' in panel  # the form carries what is shown
    pos = panel[panel.index('class="recon-day"') :]
    paid = re.search(r"<p>([^<]*· Swish [^<]*)</p>", pos)  # the day's payments, in words
    assert paid and paid.group(1).startswith("Kontant ") and " · Kort " in paid.group(1), pos
    answer = client.post(
        f"{url}/review", data={"comment": "Personalkaffe.", "seen": "5460:0.00:100.00"}
    )
    assert answer.status_code == 303
    review = session.exec(select(Review)).one()
    assert review.fingerprint == "5460:0.00:100.00"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "reconcile.reviewed")).one()
    assert event.detail == {"comment": "Personalkaffe.", "fingerprint": "5460:0.00:100.00"}
    seen = _everywhere(session, company, client)
    assert {k: v for k, v in seen.items() if k != "csv"} == {
        "grid": "reviewed", "attention": "not listed", "day_rows": "reviewed",
    }  # fmt: skip
    assert "Granskad" in seen["csv"]

    # Another hand entry on the same day: 5460 now differs by 250.00, which nobody reviewed.
    _hand_entry(session, company, stores[1], 95002, "150.00")
    seen = _everywhere(session, company, client)
    assert {k: v for k, v in seen.items() if k != "csv"} == {
        "grid": "mismatch", "attention": "mismatch", "day_rows": "mismatch",
    }  # fmt: skip
    assert "Avvikelse" in seen["csv"] and "Granskad" not in seen["csv"]
    assert (company.id, "S02", SECOND) not in reviewed_days(session, [company.id])
    user = session.exec(select(User).where(User.email == "eva@x.se")).one()
    from app.overview.service import overview_rows

    assert overview_rows(session, user)[0].counts["mismatch"] == 3  # S01's 3rd, S04's 7th, this

    # The panel says so, and offers a new review bound to today's differences.
    panel = client.get(url, headers=HX).get_data(as_text=True)
    said = panel[panel.index('id="review-changed"') :].split("</p>")[0]
    assert (
        "Granskad, men differensen har ändrats sedan dess: var +100,00\xa0kr, nu +250,00\xa0kr"
        in said
    )
    assert "st-reviewed" not in panel and "Eva Ek" in panel
    assert ">Granska igen<" in panel and 'name="seen" value="5460:0.00:250.00"' in panel

    # A review of what the reviewer saw before the change is refused beside the comment, kept.
    stale = client.post(
        f"{url}/review", data={"comment": "Kaffe igen.", "seen": "5460:0.00:100.00"}, headers=HX
    )
    assert stale.status_code == 422
    html = stale.get_data(as_text=True)
    assert "Differenserna har ändrats medan du granskade" in html
    assert 'aria-invalid="true"' in html and "Kaffe igen." in html
    assert len(session.exec(select(Review)).all()) == 1

    fresh = client.post(
        f"{url}/review", data={"comment": "Kaffe igen.", "seen": "5460:0.00:250.00"}
    )
    assert fresh.status_code == 303
    seen = _everywhere(session, company, client)
    assert (seen["grid"], seen["attention"], seen["day_rows"]) == (
        "reviewed",
        "not listed",
        "reviewed",
    )
    assert 'id="review-changed"' not in client.get(url, headers=HX).get_data(as_text=True)


def test_a_review_from_before_fingerprints_keeps_counting(world, session: Session) -> None:
    company, stores = world
    session.add(
        Review(company_id=company.id or 0, store_code="S02", business_date=SECOND, comment="Old.")
    )
    session.commit()
    _hand_entry(session, company, stores[1], 95002, "150.00")
    assert month_grid(session, company, None, MONTH).cell("S02", SECOND).status == "reviewed"
    assert (company.id, "S02", SECOND) in reviewed_days(session, [company.id])


def test_the_overviews_last_matched_day_counts_a_reviewed_day_as_settled(
    app, session: Session
) -> None:
    """Three days: S01's 3rd differs. Reviewed, the 3rd is the last matched day; changed, not."""
    company = make_company(session)
    stores = seed_month(session, company, 2, MONTH, days=3)
    third = MONTH.replace(day=3)
    visible = {company.id: None}
    assert last_settled(session, visible)[company.id] == SECOND
    saw = seen_now(session, company.id or 0, "S01", third)
    assert saw  # two accounts differ on S01's 3rd
    session.add(Review(company_id=company.id or 0, store_code="S01", business_date=third,
                       comment="Flyttat.", fingerprint=saw))  # fmt: skip
    session.commit()
    assert last_settled(session, visible)[company.id] == third
    assert _closure_status(session, company, third) == "reviewed"  # its closure differs too
    rows = [("5460", stores[0].cost_center, Decimal("10.00"), Decimal("0"))]
    _cache(session, company, "A", 95003, third, "Kaffe", rows)
    session.commit()
    service.check(session, company, load.latest_closures(session, company.id or 0, MONTH, third),
                  MONTH, third)  # fmt: skip
    session.commit()
    assert last_settled(session, visible)[company.id] == SECOND
    assert _closure_status(session, company, third) == "mismatch"


def _closure_status(session: Session, company: Company, day) -> str:  # type: ignore[no-untyped-def]
    """S01's closure of day as the API and the exceptions export give it."""
    rows = closure_rows(session, company.id or 0, MONTH, day)
    return next(r["status"] for r in rows if (r["store"], r["date"]) == ("S01", day.isoformat()))
