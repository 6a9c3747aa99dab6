"""The overview and the menu: counts that agree, links that lead on, approvals that wait."""

from __future__ import annotations

from datetime import date

from app.closures.models import ClosureState
from tests.factories import make_closure as _closure
from tests.factories import make_company, make_store, make_user


def test_approvals_are_in_the_menu_whenever_something_waits(app, session, client, auth) -> None:
    company = make_company(session)
    store = make_store(session, company)
    make_user(session, "acc@x.se", company, "accountant")
    make_user(session, "mgr@x.se", company, "store_manager", stores=[store])
    auth.login("acc@x.se")
    approvals = f'href="/c/{company.id}/approvals"'
    assert approvals not in client.get(f"/c/{company.id}/mapping/").get_data(as_text=True)
    _closure(session, company, store, date(2026, 11, 3), ClosureState.AWAITING_APPROVAL)
    _closure(session, company, store, date(2026, 11, 4), ClosureState.AWAITING_APPROVAL)
    page = client.get(f"/c/{company.id}/mapping/").get_data(as_text=True)
    assert approvals in page and 'count--awaiting_approval" aria-label="2 waiting">2<' in page
    overview = client.get("/").get_data(as_text=True)
    assert f'class="count count--awaiting_approval" href="/c/{company.id}/approvals"' in overview
    auth.logout()
    auth.login("mgr@x.se")  # a store manager may not approve: no menu line
    assert approvals not in client.get(f"/c/{company.id}/stores").get_data(as_text=True)


def test_a_company_opens_its_oldest_month_with_something_to_do(app, session, client, auth) -> None:
    company = make_company(session)
    store = make_store(session, company)
    make_user(session, "acc@x.se", company, "accountant")
    _closure(session, company, store, date(2026, 9, 14), ClosureState.HELD, hold_code="x")
    _closure(
        session, company, store, date(2026, 10, 2), ClosureState.HELD, hold_code="correction_due"
    )
    _closure(session, company, store, date(2026, 11, 20), ClosureState.FAILED)
    auth.login("acc@x.se")
    page = client.get("/").get_data(as_text=True)
    base = f"/c/{company.id}/dashboard"
    assert f'<a href="{base}?month=2026-09">' in page
    assert f'href="{base}?month=2026-09&amp;status=held"' in page
    assert f'href="{base}?month=2026-10&amp;status=superseded"' in page  # not counted as held
    assert f'href="{base}?month=2026-11&amp;status=failed"' in page
    listed = page.split('id="attention"')[1]
    days = [listed.index(f"/cell/S12/{d}") for d in ("2026-09-14", "2026-10-02", "2026-11-20")]
    assert days == sorted(days)
    assert "Post the correction" in listed


def test_nothing_to_do_says_so(app, session, client, auth) -> None:
    company = make_company(session)
    make_user(session, "acc@x.se", company, "accountant")
    auth.login("acc@x.se")
    page = client.get("/").get_data(as_text=True)
    assert f'<a href="/c/{company.id}/dashboard">' in page and "Nothing needs you" in page
