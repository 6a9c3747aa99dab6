"""The digest as RQ jobs: scheduled once a local day after DIGEST_AT, one mail per user and day."""

from __future__ import annotations

from datetime import UTC, datetime

from rq.job import Job

from app.queue import get_queue, get_redis
from tests.digest.smtp import Smtp
from worker import schedule


def _scheduled(app) -> list[Job]:  # type: ignore[no-untyped-def]
    """The jobs waiting on the reconcile queue."""
    with app.app_context():
        return get_queue("reconcile").get_jobs()


def test_the_morning_tick_enqueues_the_day_once(app) -> None:
    """Before 07:00 Stockholm time nothing; after it, one job for the day however often asked."""
    with app.app_context():
        assert not schedule.schedule_digest(datetime(2026, 12, 4, 5, 59, tzinfo=UTC))  # 06:59
        assert schedule.schedule_digest(datetime(2026, 12, 4, 6, 1, tzinfo=UTC))  # 07:01
        assert not schedule.schedule_digest(datetime(2026, 12, 4, 11, 0, tzinfo=UTC))
    (job,) = _scheduled(app)
    assert job.id == "digest-20261204" and job.args == ("2026-12-04",)
    app.config["DIGEST_AT"] = "half past six"  # refused with a log line; 07:00 is used
    with app.app_context():
        assert not schedule.schedule_digest(datetime(2026, 12, 5, 5, 40, tzinfo=UTC))


def test_two_runs_of_a_day_send_each_user_one_mail(app, world, smtp: Smtp, run_jobs) -> None:
    """The day's job fans out to one job per member; a second run, even with Redis's job ids
    forgotten, sends nobody a second mail."""
    with app.app_context():
        schedule.schedule_digest(datetime(2026, 12, 4, 6, 30, tzinfo=UTC))
    run_jobs(("reconcile",))
    first = sorted(m["To"] for m in smtp.mails())
    assert first == ["anna@example.se", "erik@example.se", "maja@example.se"]  # Ada: nothing
    get_redis(app).flushdb()  # the scheduler fires again with no memory of the first run
    with app.app_context():
        assert schedule.schedule_digest(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    run_jobs(("reconcile",))
    assert sorted(m["To"] for m in smtp.mails()) == first
