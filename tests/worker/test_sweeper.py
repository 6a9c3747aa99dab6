"""The sweeper trusts the database: what Redis lost or a dead worker left is picked up again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry
from rq.scheduler import RQScheduler
from sqlmodel import Session

from app.closures.models import Closure, ClosureState
from app.posting import jobs, state
from app.queue import get_queue, get_redis
from tests.posting.conftest import fixture
from worker import schedule, tasks
from worker.__main__ import main
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


def _retry_in_a_minute(session: Session, closure: Closure) -> Job:
    """The closure's post job, scheduled a minute ahead as a retry is; the closure queued 5 min."""
    _age(session, closure, 5)
    job_id = jobs.post_job_id(closure.id, closure.state_version)
    Job.fetch(job_id, connection=get_redis()).delete()
    jobs.enqueue_post(closure, delay=60)
    return Job.fetch(job_id, connection=get_redis())


def test_a_scheduled_retry_no_scheduler_moved_is_enqueued_now(app, session, books, receive) -> None:
    app.config["SWEEP_GRACE_SECONDS"] = 30
    job = _retry_in_a_minute(session, receive(books, fixture("cafe-full-day")))
    job_id, queue = job.id, get_queue("sync")
    assert job.get_status() == JobStatus.SCHEDULED
    assert sweep(session)["requeued"] == 0  # the retry is not due yet
    registry = ScheduledJobRegistry(queue=queue)
    registry.schedule(job, datetime.now(UTC) - timedelta(seconds=10))
    assert sweep(session)["requeued"] == 0  # due, but a scheduler may be a moment late
    registry.schedule(job, datetime.now(UTC) - timedelta(minutes=2))  # its scheduler died
    assert sweep(session)["requeued"] == 1
    assert Job.fetch(job_id, connection=queue.connection).get_status() == JobStatus.QUEUED
    assert job_id in queue.get_job_ids() and job_id not in registry.get_job_ids()
    assert sweep(session)["requeued"] == 0


def test_a_job_scheduled_but_in_no_registry_is_enqueued_again(session, books, receive) -> None:
    job = _retry_in_a_minute(session, receive(books, fixture("cafe-full-day")))
    queue = get_queue("sync")
    ScheduledJobRegistry(queue=queue).remove(job)  # the job stays, its schedule is lost
    assert sweep(session)["requeued"] == 1
    assert job.id in queue.get_job_ids()


def test_a_job_half_written_back_after_flushall_is_replaced(session, books, receive) -> None:
    closure = receive(books, fixture("cafe-full-day"))
    _age(session, closure, 5)
    job_id = jobs.post_job_id(closure.id, closure.state_version)
    get_redis().flushdb()
    # A horse that was running the job when Redis was flushed writes its status back: no data.
    get_redis().hset(Job.key_for(job_id), mapping={"status": "started", "worker_name": "w2"})
    assert sweep(session)["requeued"] == 1
    assert Job.fetch(job_id, connection=get_redis()).get_status() == JobStatus.QUEUED


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


def test_a_post_a_worker_starts_while_the_sweeper_runs_is_left_to_it(
    session, books, receive, monkeypatch
) -> None:
    closure = receive(books, fixture("cafe-full-day"))
    _age(session, closure, 30)
    live = jobs.job_is_live

    def worker_takes_it(job_id: str) -> bool:
        """Meanwhile a worker starts the post: queued → posting, in its own session."""
        with Session(session.get_bind()) as other:
            row = other.get(Closure, closure.id)
            if row.state == S.QUEUED:
                assert state.move(other, row, S.POSTING, attempts=1)
                other.commit()
        return live(job_id)

    monkeypatch.setattr(jobs, "job_is_live", worker_takes_it)
    assert sweep(session) == {"requeued": 0, "recovered": 0, "corrections": 0}
    session.refresh(closure)
    assert closure.state == S.POSTING  # the worker's post goes on


def test_the_tick_is_scheduled_once_a_minute_however_many_workers(app) -> None:
    now = datetime(2026, 11, 25, 12, 0, 30, tzinfo=UTC)
    assert schedule.schedule_next_tick(now)
    assert not schedule.schedule_next_tick(now)  # a second worker starting the same minute
    assert schedule.schedule_next_tick(now + timedelta(minutes=1))


def test_the_tick_jumps_a_backlog_of_posts(app) -> None:
    queue = get_queue("sync")
    queue.enqueue("os.getpid", job_id="backlog")
    assert schedule.schedule_next_tick(datetime.now(UTC) - timedelta(minutes=2))  # due now
    scheduler = RQScheduler([queue], connection=queue.connection)
    assert scheduler.acquire_locks()
    scheduler.enqueue_scheduled_jobs()  # what rq's scheduler does each second
    scheduler.release_locks()
    assert queue.get_job_ids()[0].startswith("tick-")


def test_the_nightly_checks_start_once_a_night_after_two(app) -> None:
    assert not schedule.schedule_nightly(datetime(2026, 11, 25, 0, 30, tzinfo=UTC))  # 01:30 CET
    assert schedule.schedule_nightly(datetime(2026, 11, 25, 1, 5, tzinfo=UTC))
    assert not schedule.schedule_nightly(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))


def test_nightly_runs_preflight_reconcile_and_prune(books) -> None:
    done = tasks.nightly(books.id)
    assert set(done) == {"nightly_preflight", "nightly_reconcile", "nightly_prune"}
    assert done["nightly_preflight"]["company_id"] == books.id
    assert "closures" in done["nightly_reconcile"] and done["nightly_prune"] == 0


def test_python_m_worker_sweep_prints_the_counts(books, capsys) -> None:
    """`python -m worker --sweep`: the tick's sweep once, by hand (nothing to do here)."""
    assert main(["--sweep"]) == 0
    assert capsys.readouterr().out.strip() == "requeued=0 recovered=0 corrections=0 attachments=0"


def test_a_dead_job_whose_execution_rq_lost_is_still_dropped(app) -> None:
    """rq's delete raises when an execution it lists has expired; the id must still come free."""
    import time

    job = get_queue("sync").enqueue("os.getpid", job_id="check-1-20261124")
    job.set_status(JobStatus.FINISHED)
    get_redis().zadd(f"rq:executions:{job.id}", {"expired": time.time() + 60})
    jobs.drop_dead_job(job.id)
    assert Job.fetch_many([job.id], connection=get_redis())[0] is None
