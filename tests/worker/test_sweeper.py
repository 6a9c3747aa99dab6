"""The sweeper trusts the database: what Redis lost or a dead worker left is picked up again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rq.job import Job
from sqlmodel import Session

from app.closures.models import Closure, ClosureState
from app.posting import jobs, state
from app.queue import get_redis
from tests.posting.conftest import fixture
from worker import schedule, tasks
from worker.sweeper import sweep

S = ClosureState


def _age(session: Session, closure: Closure, minutes: int) -> None:
    closure.state_changed_at = datetime.now(UTC) - timedelta(minutes=minutes)
    session.add(closure)
    session.commit()


def test_a_queued_closure_whose_job_redis_lost_is_enqueued_again(session, books, receive) -> None:
    closure = receive(books, fixture("cafe-full-day"))
    get_redis().flushdb()  # Redis lost everything
    assert sweep(session)["requeued"] == 0  # too fresh: the enqueue may still be on its way
    _age(session, closure, 5)
    assert sweep(session)["requeued"] == 1
    job_id = jobs.post_job_id(closure.id, closure.state_version)
    assert Job.fetch_many([job_id], connection=get_redis())[0] is not None
    assert sweep(session)["requeued"] == 0  # its job is live now


def test_a_post_left_by_a_dead_worker_is_queued_to_search_first(session, books, receive) -> None:
    closure = receive(books, fixture("cafe-full-day"))
    assert state.move(session, closure, S.POSTING, attempts=1)
    session.commit()
    assert sweep(session)["recovered"] == 0  # its job is still in Redis
    get_redis().flushdb()  # the worker died and its job is gone
    assert sweep(session)["recovered"] == 0  # but a post may take a while
    _age(session, closure, 30)
    assert sweep(session)["recovered"] == 1
    session.refresh(closure)
    assert closure.state == S.QUEUED and closure.outcome_unknown
    assert closure.hold_code == "recovered"


def test_the_tick_is_scheduled_once_a_minute_however_many_workers(app) -> None:
    now = datetime(2026, 11, 25, 12, 0, 30, tzinfo=UTC)
    assert schedule.schedule_next_tick(now)
    assert not schedule.schedule_next_tick(now)  # a second worker starting the same minute
    assert schedule.schedule_next_tick(now + timedelta(minutes=1))


def test_the_nightly_checks_start_once_a_night_after_two(app) -> None:
    assert not schedule.schedule_nightly(datetime(2026, 11, 25, 0, 30, tzinfo=UTC))  # 01:30 CET
    assert schedule.schedule_nightly(datetime(2026, 11, 25, 1, 5, tzinfo=UTC))
    assert not schedule.schedule_nightly(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))


def test_nightly_runs_what_exists(books) -> None:
    done = tasks.nightly(books.id)
    assert set(done) == {"nightly_preflight", "nightly_reconcile"}
