"""Kassabok's rq workers: jobs run in the worker's own process, turns taken fairly.

rq's default worker forks a work horse per job: ~180 ms of CPU per job on this code base (the
fork's page copies, a new database and Redis connection per job), against ~50 ms for the job
itself. `KassabokWorker` runs jobs in its own process, like rq's SimpleWorker, and keeps what
made the fork safe:

* a killed worker's job is found: a thread renews the job's execution heartbeat every
  `job_monitoring_interval` seconds while it runs, with the forking worker's short TTL (not
  SimpleWorker's job timeout + 60 s), so when the process dies the job's entry in the started
  registry expires within a minute or so, registry cleanup marks it failed and the sweeper
  takes the closure back (worker/sweeper.py);
* a job that overruns is still stopped by rq's SIGALRM death penalty (main thread).

Each worker also keeps rq's scheduler handover quick and the minute tick alive (`_Ticking`),
and takes post jobs from the companies' lines in turn (worker/fair.py), between the shared
sync list (retries, corrections) and the other queues.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from rq import SimpleWorker, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.queue import Queue
from rq.utils import now
from rq.worker import WorkerStatus

from app.queue import FAIR_WAKE
from worker import fair
from worker.schedule import keep_ticking

log = logging.getLogger(__name__)
BEAT_SECONDS = 5  # the idle worker's heartbeat, at most this often
MONITOR_SECONDS = 10  # heartbeat period while a job runs; its entry expires 60 s after the last
IDLE_POLL = 1.0  # longest an idle worker waits before looking at the lines again


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class _Ticking:
    """rq's maintenance (registry cleanup, scheduler takeover), then the tick made sure of."""

    def run_maintenance_tasks(self) -> None:
        """What rq does at maintenance, then schedule the next tick unless it is."""
        super().run_maintenance_tasks()  # type: ignore[misc]
        keep_ticking()


class _FairTurns:
    """Dequeue: the shared sync list, then a company's turn, then the other queues."""

    def _first_of(self, queues: list[Queue]) -> tuple[Job, Queue] | None:
        """The head of the first non-empty queue of queues, without blocking."""
        while queues:
            popped = Queue.lpop([q.key for q in queues], None, connection=self.connection)  # type: ignore[attr-defined]
            if popped is None:
                return None
            found = self._job_in(_text(popped[0]), _text(popped[1]))
            if found is not None:
                return found
        return None

    def _job_in(self, queue_key: str, job_id: str) -> tuple[Job, Queue] | None:
        """The job and the queue (by key) it was taken from; None when Redis lost it."""
        try:
            job = self.job_class.fetch(
                job_id, connection=self.connection, serializer=self.serializer
            )  # type: ignore[attr-defined]
        except NoSuchJobError:
            return None
        name = queue_key.removeprefix(Queue.redis_queue_namespace_prefix)
        queue = next(q for q in self.queues if q.name == name)  # type: ignore[attr-defined]
        job.redis_server_version = self.get_redis_server_version()  # type: ignore[attr-defined]
        return job, queue

    def _fair_turn(self) -> tuple[tuple[Job, Queue] | None, float | None]:
        """A company's next post job (its slot reserved), or the wait until one may be had."""
        sync = next((q for q in self.queues if q.name == "sync"), None)  # type: ignore[attr-defined]
        if sync is None:
            return None, None
        while True:
            company, job_id, wait = fair.take_turn(self.connection)  # type: ignore[attr-defined]
            if job_id is None:
                return None, wait
            found = self._job_in(sync.key, job_id)
            if found is not None:
                self._turn = (company, job_id)
                return found, None
            fair.give_back(self.connection, company, job_id)  # type: ignore[attr-defined]

    _turn: tuple[str, str] | None = None

    def _settle_turn(self) -> None:
        """The job taken on a company's turn is done: free its slot if it never claimed it."""
        if self._turn is not None:
            turn, self._turn = self._turn, None
            try:
                fair.settle(self.connection, *turn)  # type: ignore[attr-defined]
            except Exception:  # the slot frees itself after ratelimit.HOLD_SECONDS
                log.warning("could not settle the turn of job %s", turn[1], exc_info=True)

    def _next(self) -> tuple[tuple[Job, Queue] | None, float | None]:
        """The next job in priority order, or the wait until a company's turn may come."""
        queues = list(self.queues)  # type: ignore[attr-defined]
        shared = [q for q in queues if q.name == "sync"]
        found = self._first_of(shared)
        if found is not None:
            return found, None
        found, wait = self._fair_turn()
        if found is not None:
            return found, None
        return self._first_of([q for q in queues if q.name != "sync"]), wait

    def dequeue_job_and_maintain_ttl(
        self, timeout: int | None, max_idle_time: int | None = None
    ) -> tuple[Job, Queue] | None:
        """rq's dequeue loop (heartbeat, maintenance, idle limit) over _next."""
        self.set_state(WorkerStatus.IDLE)  # type: ignore[attr-defined]
        self.procline("Listening on " + ",".join(self.queue_names()))  # type: ignore[attr-defined]
        idle_since = time.monotonic()
        keys = [q.key for q in self.queues] + [FAIR_WAKE]  # type: ignore[attr-defined]
        while True:
            self.heartbeat()  # type: ignore[attr-defined]
            if self.should_run_maintenance_tasks:  # type: ignore[attr-defined]
                self.run_maintenance_tasks()  # type: ignore[attr-defined]
            found, wait = self._next()
            if found is not None:
                self.heartbeat()  # type: ignore[attr-defined]
                return found
            if timeout is None and wait is None:
                return None  # burst: nothing left that a budget holds back
            idle = time.monotonic() - idle_since
            if max_idle_time is not None and idle >= max_idle_time:
                return None
            block = min(wait if wait is not None else IDLE_POLL, IDLE_POLL, timeout or IDLE_POLL)
            popped = self.connection.blpop(keys, max(block, 0.01))  # type: ignore[attr-defined]
            if popped is not None and _text(popped[0]) != FAIR_WAKE:
                found = self._job_in(_text(popped[0]), _text(popped[1]))
                if found is not None:
                    self.heartbeat()  # type: ignore[attr-defined]
                    return found


class KassabokWorker(_FairTurns, _Ticking, SimpleWorker):
    """Jobs in this process, its execution heartbeat kept by a thread while one runs."""

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        """rq's worker heartbeat, but the plain one at most every few seconds.

        rq beats before and after each dequeue and after each job: three round trips of three
        commands per job, for a key that lives worker_ttl + 60 s.
        """
        last = self.last_heartbeat
        plain = pipeline is None and timeout is None and last is not None
        if plain and (now() - last).total_seconds() < BEAT_SECONDS:
            return
        super().heartbeat(timeout, pipeline)

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        """The forking worker's TTL: a dead worker's job is found within a minute or so."""
        return Worker.get_heartbeat_ttl(self, job, working_time)  # type: ignore[arg-type]

    def execute_job(self, job: Job, queue: Queue) -> None:
        """Run the job here while a thread keeps its heartbeat, as the forking parent does."""
        execution = self.prepare_execution(job)
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(self.job_monitoring_interval):
                try:
                    self.maintain_heartbeats(job, execution)
                except Exception:  # a missed beat shortens the grace; the next one renews it
                    log.warning("heartbeat of job %s failed", job.id, exc_info=True)

        beater = threading.Thread(target=beat, name=f"heartbeat-{job.id}", daemon=True)
        beater.start()
        try:
            self.perform_job(job, queue, execution)
        finally:
            stop.set()
            beater.join()
            self._settle_turn()
        self.set_state(WorkerStatus.IDLE)


class KassabokForkWorker(_FairTurns, _Ticking, Worker):
    """rq's forking worker (a work horse per job), with the same turns and tick."""

    def execute_job(self, job: Job, queue: Queue) -> None:
        """rq's fork, wait and clean-up; then the turn's unclaimed slot freed."""
        try:
            super().execute_job(job, queue)
        finally:
            self._settle_turn()


def build(cls: type[Worker], queues: list[Queue], name: str | None, every: int) -> Worker:
    """A worker whose maintenance (so scheduler takeover) comes every `every` seconds."""
    # rq blocks on the queues for worker_ttl - 15 s between maintenances: make that `every`.
    return cls(
        queues,
        connection=queues[0].connection,
        name=name,
        maintenance_interval=every,
        worker_ttl=every + 15,
        job_monitoring_interval=MONITOR_SECONDS,
    )
