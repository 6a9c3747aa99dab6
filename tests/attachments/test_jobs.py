"""The post queues its Z-report's job; the tick's sweep catches what Redis lost or what is due."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app.attachments import jobs
from app.attachments.models import AttachState, ZAttachment
from app.db import utcnow
from app.queue import get_queue, get_redis
from tests.attachments.conftest import with_z_report
from worker.jobs.attachments import attach_zreport


def _queued(app) -> list[str]:
    with app.app_context():
        return get_queue(jobs.QUEUE).job_ids


def _state(session) -> str:
    session.expire_all()
    return session.exec(select(ZAttachment.state)).one()


def test_a_post_queues_its_z_report_and_the_job_attaches_it(app, session, books, post, run_jobs):
    closure = post(with_z_report())
    assert _queued(app) == [jobs.job_id(closure.id)]  # the post did not wait for it
    assert session.exec(select(ZAttachment)).first() is None
    run_jobs((jobs.QUEUE,))
    assert _state(session) == AttachState.CONNECTED


def test_the_sweep_queues_what_redis_lost_and_what_is_due_again(
    app, session, books, post, run_jobs
) -> None:
    from worker import tasks

    closure = post(with_z_report())
    with app.app_context():
        get_redis().flushdb()  # the job is gone with Redis
        app.config["SWEEP_GRACE_SECONDS"] = 0.001
        assert tasks.sweep()["attachments"] == 1
        assert tasks.sweep()["attachments"] == 0  # its job is waiting: not twice
    books.sandbox.licences(books.tenant, archive=False)
    run_jobs((jobs.QUEUE,))
    assert _state(session) == AttachState.FAILED
    with app.app_context():
        assert tasks.sweep()["attachments"] == 0  # failed: tried again after a while, not now
    failed = session.exec(select(ZAttachment)).one()
    failed.next_at = utcnow() - timedelta(seconds=1)
    session.add(failed)
    session.commit()
    books.sandbox.licences(books.tenant, archive=True)
    with app.app_context():
        assert tasks.sweep()["attachments"] == 1
    run_jobs((jobs.QUEUE,))
    assert _state(session) == AttachState.CONNECTED
    assert closure.id == session.exec(select(ZAttachment.closure_pk)).one()


def test_a_job_that_finds_another_at_work_leaves_it_alone(app, session, books, post) -> None:
    closure = post(with_z_report())
    with app.app_context():
        lock = get_redis().lock(f"kassabok:attach:{closure.id}", timeout=60)
        assert lock.acquire(blocking=False)
        try:
            assert attach_zreport(closure.id) == "busy"
        finally:
            lock.release()
        assert attach_zreport(closure.id) == "connected"
