"""Fair turns: companies served in turn, one out of budget passed over, a worker never slept on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry, StartedJobRegistry

from app.closures.models import ClosureState
from app.fortnox.ratelimit import RateBudget, key_for
from app.posting import jobs
from app.queue import FAIR_RING, fair_key, get_queue, get_redis
from tests.posting.conftest import fixture
from worker import fair
from worker.__main__ import burst_worker
from worker.sweeper import sweep

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fair_on(app):
    app.config.update(FAIR_QUEUES=True, FORTNOX_RATE_COUNT=3, FORTNOX_RATE_WINDOW=60)
    yield
    app.config.pop("FAIR_QUEUES")


def _line(company: int, n: int, first: int = 0) -> list[str]:
    """n post jobs of company in its line (closure pks need not exist to be taken)."""
    ids = [f"post-{company}{i}-v1" for i in range(first, first + n)]
    for i, job_id in enumerate(ids):
        jobs.enqueue_unique(jobs.POST_TASK, job_id, first + i, company=company)
    return ids


def _turns(n: int) -> list[str | None]:
    return [fair.take_turn(get_redis())[1] for _ in range(n)]


def test_companies_take_turns_whatever_their_backlog(fair_on) -> None:
    big = _line(7001, 6)
    small = _line(7002, 2)
    assert get_queue("sync").count == 0  # nothing in the shared list: each waits in its line
    assert _turns(5) == [big[0], small[0], big[1], small[1], big[2]]


def test_a_company_out_of_budget_is_passed_over_not_waited_for(fair_on) -> None:
    big, small = _line(7001, 4), _line(7002, 2)
    assert _turns(2) == [big[0], small[0]]  # each turn reserves a slot of that company
    budget = RateBudget(7001)
    budget.take(), budget.take()  # the big company's other two requests of the window
    assert _turns(1) == [small[1]]  # its turn came, but it has no slot: the next company's
    company, job_id, wait = fair.take_turn(get_redis())
    assert job_id is None and wait > 0  # only the spent company is left: wait, do not pop
    assert get_redis().llen(fair_key(7001)) == 3


def test_a_duplicate_enqueue_into_a_line_is_refused(fair_on) -> None:
    (job_id,) = _line(7001, 1)
    jobs.enqueue_unique(jobs.POST_TASK, job_id, 0, company=7001)  # the same job again
    assert get_redis().llen(fair_key(7001)) == 1
    assert jobs.job_is_live(job_id)


def test_a_job_that_finds_no_budget_yields_the_worker(fair_on, session, books, receive) -> None:
    closure = receive(books, fixture("cafe-full-day"))
    budget = RateBudget(books.id)
    for _ in range(3):
        budget.take()  # another worker spent the window
    get_redis().delete(fair_key(books.id))  # it comes from the shared list, as a retry does
    job_id = jobs.post_job_id(closure.id, closure.state_version)
    jobs.drop_dead_job(job_id)
    get_queue("sync").enqueue(jobs.POST_TASK, closure.id, job_id=job_id)
    started = time.monotonic()
    burst_worker(["sync"], "yielder")
    assert time.monotonic() - started < 20  # not the 60 s a blocking take would sleep
    session.refresh(closure)
    assert closure.state == ClosureState.QUEUED and closure.attempts == 0
    job = Job.fetch(job_id, connection=get_redis())
    assert job.get_status() == JobStatus.SCHEDULED  # back when a slot frees up
    assert job_id in ScheduledJobRegistry(queue=get_queue("sync")).get_job_ids()
    assert RateBudget(books.id).used() == 3  # its claim on the budget was given back


def test_a_job_popped_by_a_worker_that_died_is_put_back(fair_on, app, session) -> None:
    app.config["SWEEP_GRACE_SECONDS"] = 0.01
    (job_id,) = _line(7001, 1)
    assert fair.take_turn(get_redis())[1] == job_id  # ...and the worker is killed
    assert get_redis().llen(fair_key(7001)) == 0
    time.sleep(0.05)
    assert sweep(session)["put_back"] == 1
    assert get_redis().lrange(fair_key(7001), 0, -1) == [job_id.encode()]
    assert get_redis().zcard(key_for(7001)) == 0  # its reserved slot freed


def test_a_killed_in_process_worker_leaves_a_job_that_expires_soon(app) -> None:
    """The worker runs jobs without forking, yet its job's started entry lives about a minute."""
    env = {**os.environ, "REDIS_URL": app.config["REDIS_URL"], "PYTHONPATH": str(ROOT)}
    env.update(DATABASE_URL=app.config["DATABASE_URL"], KASSABOK_ENV="testing")
    queue = get_queue("sync")
    queue.enqueue("time.sleep", 30, job_id="long", job_timeout=900)
    proc = subprocess.Popen(
        [sys.executable, "-m", "worker", "--queues", "sync", "--name", "doomed"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        registry = StartedJobRegistry(queue=queue)
        deadline = time.monotonic() + 60
        while not registry.get_job_ids() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert registry.get_job_ids(), "the worker never started the job"
        (_, expires) = queue.connection.zrange(registry.key, 0, 0, withscores=True)[0]
        assert expires - time.time() <= 75  # not the job timeout + 60 s (960 s)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    assert Job.fetch("long", connection=get_redis()).get_status() == JobStatus.STARTED
    registry.cleanup(time.time() + 80)  # a minute and a bit later, the sweeper's cleanup
    assert Job.fetch("long", connection=get_redis()).get_status() == JobStatus.FAILED


def test_a_turn_whose_job_posts_nothing_gives_its_slot_back(fair_on) -> None:
    _line(7001, 1, first=999_999)  # no such closure: the job ends "skipped", nothing sent
    burst_worker(["sync"], "skipper")
    assert RateBudget(7001).used() == 0  # not held for ratelimit.HOLD_SECONDS
    assert get_redis().zcard(fair.POPPED) == 0


def test_a_spent_turn_still_counts_when_the_same_job_takes_another(fair_on) -> None:
    """A retried job (same id) reserving again must not overwrite the slot its request spent."""
    (job_id,) = _line(7001, 1)
    conn = get_redis()
    assert fair.take_turn(conn)[1] == job_id
    assert fair.Turn(job_id)(7001) == 0.0  # the job begins: its reserved slot is its own
    budget = RateBudget(7001)
    budget.done(budget.take())  # its request went out and was answered
    fair.settle(conn, "7001", job_id)
    conn.rpush(fair_key(7001), job_id)  # the same job comes back (a retry) within the window
    conn.zadd(FAIR_RING, {"7001": 0})
    assert fair.take_turn(conn)[1] == job_id
    assert budget.used() == 2  # the answered request and the new reservation
