"""Where a store manager lands: their one store's month grid; with more stores, the days to do."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.closures.models import ClosureState
from app.companies.models import Company, Store
from app.posting import state
from tests.factories import make_user
from tests.posting.conftest import fixture


def test_a_manager_of_one_store_lands_on_its_grid_at_the_day_to_do(
    session: Session, books: Company, receive: Any, client: Any, auth: Any
) -> None:
    stores = {s.store_id: s for s in session.exec(select(Store))}
    make_user(session, "one@x.se", books, "store_manager", stores=[stores["S12"]])
    make_user(session, "two@x.se", books, "store_manager", stores=[stores["S12"], stores["S20"]])
    make_user(session, "acc@x.se", books, "accountant")
    closure = receive(books, fixture("cafe-full-day"))  # S12, 2026-11-24
    state.move(session, closure, ClosureState.POSTING)
    state.move(session, closure, ClosureState.FAILED, reason="Fortnox answered 500.")
    session.commit()
    auth.login("one@x.se")
    landing = client.get("/")
    assert landing.status_code == 302
    assert landing.headers["Location"] == f"/c/{books.id}/dashboard?month=2026-11"
    auth.logout()
    for email in ("two@x.se", "acc@x.se"):  # the overview, whose list names the days to do
        auth.login(email)
        page = client.get("/")
        assert page.status_code == 200
        assert "/cell/S12/2026-11-24" in page.get_data(as_text=True).split('id="attention"')[1]
        auth.logout()
