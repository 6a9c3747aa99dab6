"""After posting, a company's day is checked against Fortnox by one job, not by every post."""

from __future__ import annotations

from datetime import date

from rq.job import Job
from sqlmodel import select

from app.closures.models import ClosureState
from app.posting import aftercheck
from app.queue import get_redis
from app.reconcile.models import ClosureCheck, StoreDayCheck
from app.reconcile.noted import check_noted
from tests.posting.conftest import fixture
from tests.posting.sandbox_support import connected_books, drain  # noqa: F401
from tests.sandbox_fixtures import fortnox_company, sandbox  # noqa: F401
from worker.sweeper import sweep

DAY = "2026-11-24"


def test_the_posts_of_a_day_are_checked_by_one_job(app, session, books, receive) -> None:
    closures = [
        receive(
            books.company,
            fixture("cafe-full-day", store_id=store, closure_id=f"opn-7731:{store}:R1:Z457"),
        )
        for store in ("S12", "S14")
    ]
    closures.append(receive(books.company, fixture("cash-overage", business_date=DAY)))
    drain(app, session)
    for closure in closures:
        session.refresh(closure)
        assert closure.state == ClosureState.POSTED, closure.state_reason
        check = session.exec(select(ClosureCheck).where(ClosureCheck.closure_pk == closure.id))
        assert check.one().status == "matched"
    days = session.exec(select(StoreDayCheck).where(StoreDayCheck.company_id == books.company.id))
    assert {d.store_code for d in days} == {"S12", "S14"}
    job = Job.fetch(aftercheck.job_id(books.company.id, date.fromisoformat(DAY)), get_redis())
    assert job.return_value() == 2  # one job, one round, both stores of the day
    assert get_redis().zcard(aftercheck.key_for(books.company.id, date.fromisoformat(DAY))) == 0


def test_a_store_noted_again_during_a_round_is_checked_again(app, session, monkeypatch) -> None:
    from app.reconcile import noted

    day, seen = date(2026, 11, 24), []
    key = aftercheck.key_for(7001, day)

    class Posted:
        id, company_id, business_date = 1, 7001, day

        def __init__(self, store: str) -> None:
            self.store_code = store

    def check(_session, _company, stores, _day) -> str:
        seen.append(list(stores))
        if len(seen) == 1:  # a post of S12 lands while the first round runs
            get_redis().eval(aftercheck._NOTE, 2, key, aftercheck.SEQ, "S12", 60)
        return "matched"

    monkeypatch.setattr(noted, "reconcile_store_day", check)
    monkeypatch.setattr(aftercheck, "enqueue", lambda *a: "")
    aftercheck.note(Posted("S12"))  # type: ignore[arg-type]
    aftercheck.note(Posted("S14"))  # type: ignore[arg-type]
    assert check_noted(session, 7001, day) == 3
    assert seen == [["S12", "S14"], ["S12"]]
    assert get_redis().zcard(key) == 0


def test_a_day_a_dead_check_left_undone_is_enqueued_by_the_sweeper(app, session) -> None:
    day = date(2026, 11, 24)
    get_redis().eval(aftercheck._NOTE, 2, aftercheck.key_for(7001, day), aftercheck.SEQ, "S12", 60)
    assert sweep(session)["checks"] == 1  # no job holds it: enqueued
    assert "checks" not in sweep(session)  # now one waits
    assert Job.fetch(aftercheck.job_id(7001, day), get_redis()).args == (7001, "2026-11-24")
