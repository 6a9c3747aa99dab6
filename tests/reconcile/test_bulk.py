"""Bulk retry and approve from the month board: one closure at a time, checked and audited alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.closures.models import Closure, ClosureState
from app.companies.models import Company, Store
from app.posting import state
from tests.factories import make_user
from tests.posting.conftest import fixture

S = ClosureState
HX = {"HX-Request": "true"}
MONTH = "2026-11"  # the fixture closures' month


def _closure(receive: Callable[..., Closure], books: Company, store: str, z: int) -> Closure:
    """A closure of the store on a day of November 2026 (day z), as ingest stores it."""
    payload = fixture("cafe-full-day", store_id=store, z_number=z)
    payload["closure_id"] = f"opn-7731:{store}:R1:Z{z}"
    payload["business_date"] = f"2026-11-{z:02d}"
    return receive(books, payload)


def _failed(session: Session, closure: Closure, why: str = "Fortnox answered 500.") -> Closure:
    """The closure as a post that failed leaves it."""
    if closure.state == S.QUEUED:
        state.move(session, closure, S.POSTING)
    state.move(session, closure, S.FAILED, reason=why)
    session.commit()
    return closure


@pytest.fixture
def failed(session: Session, books: Company, receive: Callable[..., Closure]) -> list[Closure]:
    """Three failed closures of S12 and one of S20, in November 2026."""
    made = [_closure(receive, books, store, z) for store, z in (("S12", 3), ("S12", 4), ("S12", 5))]
    made.append(_closure(receive, books, "S20", 6))
    return [_failed(session, c) for c in made]


def _members(session: Session, books: Company) -> None:
    s12 = session.exec(select(Store).where(Store.store_id == "S12")).one()
    make_user(session, "acc@x.se", books, "accountant")
    make_user(session, "mgr@x.se", books, "store_manager", stores=[s12])
    make_user(session, "aud@x.se", books, "auditor")


@pytest.fixture
def retry(session: Session, books: Company, failed: list[Closure], auth: Any) -> str:
    """The bulk retry's address, the accountant signed in, the failed closures made."""
    _members(session, books)
    auth.login("acc@x.se")
    return f"/c/{books.id}/dashboard/bulk/retry"


def _retries(session: Session) -> list[str]:
    session.expire_all()
    query = select(AuditEvent.target).where(AuditEvent.action == "closure.retry")
    return sorted(session.exec(query).all())


def test_retry_all_in_view_queues_each_audits_each_and_skips_the_posted(
    session: Session, books: Company, failed: list[Closure], client: Any, retry: str
) -> None:
    board = client.get(f"/c/{books.id}/dashboard?month={MONTH}").get_data(as_text=True)
    assert "Retry all 4 failed or held closures in this view" in board
    confirm = client.get(f"{retry}?month={MONTH}&status=failed&store=S12", headers=HX)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "<html" not in html
    assert "Retry 3 closures?" in html and "Retry these 3 closures" in html
    assert html.count('name="pk"') == 3 and f'value="{failed[3].id}"' not in html  # S20: filtered
    # Between the confirmation and the click, one is retried on its own and posts.
    first = failed[0]
    for step in (S.QUEUED, S.POSTING, S.POSTED):
        state.move(session, first, step)
    session.commit()
    form = {"month": MONTH, "status": "failed", "store": "S12", "pk": [c.id for c in failed[:3]]}
    done = client.post(retry, data=form, headers=HX).get_data(as_text=True)
    assert "2 queued, 1 skipped: already posted" in done
    assert 'hx-target="#board"' in done  # the grid is fetched again
    for closure in failed[1:3]:
        session.refresh(closure)
        assert closure.state == S.QUEUED
    assert _retries(session) == sorted(f"closure:{c.id}" for c in failed[1:3])
    session.refresh(failed[3])
    assert failed[3].state == S.FAILED  # another store: not in the view, untouched


def test_approve_all_in_view_records_each_approval(
    session: Session, books: Company, receive: Callable[..., Closure], client: Any, auth: Any
) -> None:
    books.approve_first = True
    session.add(books)
    session.commit()
    waiting = [_closure(receive, books, "S12", z) for z in (7, 8)]
    assert {c.state for c in waiting} == {S.AWAITING_APPROVAL}
    _members(session, books)
    auth.login("acc@x.se")
    board = client.get(f"/c/{books.id}/dashboard?month={MONTH}").get_data(as_text=True)
    assert "Approve all 2 closures awaiting approval in this view" in board
    url = f"/c/{books.id}/dashboard/bulk/approve"
    form = {"month": MONTH, "pk": [c.id for c in waiting]}
    done = client.post(url, data=form, headers=HX).get_data(as_text=True)
    assert "2 queued" in done
    approvals = session.exec(
        select(AuditEvent.target).where(AuditEvent.action == "closure.approved")
    ).all()
    assert sorted(approvals) == sorted(f"closure:{c.id}" for c in waiting)
    again = client.post(url, data=form, headers=HX).get_data(as_text=True)
    assert "2 skipped: already queued" in again  # approved once only


def test_only_roles_that_may_act_see_or_use_it(
    session: Session, books: Company, failed: list[Closure], client: Any, auth: Any
) -> None:
    _members(session, books)
    retry = f"/c/{books.id}/dashboard/bulk/retry"
    auth.login("aud@x.se")
    board = client.get(f"/c/{books.id}/dashboard?month={MONTH}").get_data(as_text=True)
    assert "/bulk/" not in board
    assert client.get(f"{retry}?month={MONTH}").status_code == 403
    assert client.post(retry, data={"month": MONTH, "pk": [failed[0].id]}).status_code == 403
    auth.logout()
    # A store manager retries their own store's closures; approving is not theirs.
    auth.login("mgr@x.se")
    board = client.get(f"/c/{books.id}/dashboard?month={MONTH}").get_data(as_text=True)
    assert "Retry all 3 failed or held closures in this view" in board and "/approve" not in board
    assert client.get(f"/c/{books.id}/dashboard/bulk/approve?month={MONTH}").status_code == 403
    other = failed[3]  # S20's, posted by hand into the form: not acted on, not even named
    form = {"month": MONTH, "pk": [failed[1].id, other.id]}
    done = client.post(retry, data=form, headers=HX).get_data(as_text=True)
    assert "1 queued" in done and "S20" not in done
    assert _retries(session) == [f"closure:{failed[1].id}"]


def test_without_javascript_the_summary_is_flashed_on_the_board(
    failed: list[Closure], client: Any, retry: str
) -> None:
    page = client.get(f"{retry}?month={MONTH}").get_data(as_text=True)
    assert "<html" in page and "Retry these 4 closures" in page
    answer = client.post(retry, data={"month": MONTH, "store": "S20", "pk": [failed[3].id]})
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"?month={MONTH}&status=&store=S20")
    assert "1 queued" in client.get(answer.headers["Location"]).get_data(as_text=True)


def test_nothing_chosen_says_so(books: Company, client: Any, retry: str) -> None:
    done = client.post(retry, data={"month": MONTH, "pk": ["x", "-1"]}, headers=HX)
    assert "Nothing was done: no closure of this view was chosen." in done.get_data(as_text=True)
    assert client.get(f"/c/{books.id}/dashboard/bulk/delete?month={MONTH}").status_code == 404


def test_the_progress_polls_until_none_posts_then_fetches_the_grid(
    session: Session, books: Company, failed: list[Closure], client: Any, retry: str
) -> None:
    form = {"month": MONTH, "pk": [c.id for c in failed[:2]]}
    done = client.post(retry, data=form, headers=HX).get_data(as_text=True)
    poll = done.split('id="bulk-progress" hx-get="')[1].split('"')[0].replace("&amp;", "&")
    assert f"pk={failed[0].id}&pk={failed[1].id}" in poll and 'hx-trigger="load delay:1s"' in done
    theirs = f"&pk={failed[2].id + 1000}"  # no such closure: not listed
    assert client.get(poll + theirs, headers=HX).get_data(as_text=True).count("<li>") == 2
    for closure in failed[:2]:
        session.refresh(closure)
        for step in (S.POSTING, S.POSTED):
            state.move(session, closure, step)
    session.commit()
    html = client.get(poll, headers=HX).get_data(as_text=True)
    assert html.count("Posted</strong>") == 2 and "delay:1s" not in html
    assert 'hx-target="#board"' in html  # the grid again, with what they became
    assert client.get(poll).status_code == 303  # not a page of its own: the board
