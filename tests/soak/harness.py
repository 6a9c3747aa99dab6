"""Kassabok on one machine for tests/soak, tests/scale and bench/: DB, Redis, sandbox, workers."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func
from sqlmodel import Session, select

from tests.sandbox_fixtures import CLIENT_ID, CLIENT_SECRET, SCOPE


def _retrying(call: Any, tries: int = 10) -> Any:
    """call(), again after a faulted answer: the sandbox faults consent and token calls too."""
    for attempt in range(tries):
        try:
            return call()
        except (httpx.HTTPStatusError, httpx.TransportError, RuntimeError):
            if attempt == tries - 1:
                raise
            time.sleep(0.5)


ROOT = Path(__file__).resolve().parents[2]
KNOBS = {  # quick retries and a sweeper that takes back dead posts within seconds
    "KASSABOK_POSTING_BACKOFF_BASE": "0.05",
    "KASSABOK_POSTING_BACKOFF_MAX": "1",
    "KASSABOK_POSTING_MAX_ATTEMPTS": "60",
    "KASSABOK_SWEEP_GRACE_SECONDS": "2",
    "KASSABOK_POSTING_STUCK_MINUTES": "0.05",
    "KASSABOK_FAIR_QUEUES": "1",  # as in production: post jobs wait in their company's line
}


class Rig:
    """One company connected to a sandbox tenant, on database_url and redis_url."""

    def __init__(
        self,
        sandbox: Any,
        database_url: str,
        redis_url: str,
        stores: int = 4,
        rate: tuple[int, float] = (1000, 1.0),
    ) -> None:
        from app import create_app
        from app.db import make_engine

        self.sandbox, self.database_url, self.redis_url = sandbox, database_url, redis_url
        self.env = {
            **os.environ,
            **KNOBS,
            "KASSABOK_ENV": "testing",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "FORTNOX_CLIENT_ID": CLIENT_ID,
            "FORTNOX_CLIENT_SECRET": CLIENT_SECRET,
            "FORTNOX_AUTH_URL": sandbox.url,
            "FORTNOX_API_URL": sandbox.url,
            "KASSABOK_PUBLIC_URL": "http://localhost",
            "PYTHONPATH": str(ROOT),
            "FORTNOX_RATE_COUNT": str(rate[0]),
            "FORTNOX_RATE_WINDOW": str(rate[1]),
        }
        self._knobs = {key: os.environ.get(key) for key in KNOBS}
        os.environ.update(KNOBS)  # the sweeper run here reads them too (until close)
        self.app = create_app(
            {
                "ENV_NAME": "testing",
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "FORTNOX_CLIENT_ID": CLIENT_ID,
                "FORTNOX_CLIENT_SECRET": CLIENT_SECRET,
                "FORTNOX_AUTH_URL": sandbox.url,
                "FORTNOX_API_URL": sandbox.url,
                "FORTNOX_RATE_COUNT": rate[0],
                "FORTNOX_RATE_WINDOW": rate[1],
            }
        )
        self.session = Session(make_engine(database_url), expire_on_commit=False)
        self.workers: dict[str, subprocess.Popen] = {}
        self.reconnects = 0
        self.codes = [f"K{n:02d}" for n in range(1, stores + 1)]  # not among the seed's S12, S14…
        self._setup()

    def _setup(self) -> None:
        """Tenant with a cost center per store, the company, its stores, mapping and tokens."""
        self.sandbox.add_client(CLIENT_ID, CLIENT_SECRET, "http://localhost/fortnox/callback")
        self.http = httpx.Client(base_url=self.sandbox.url, timeout=30)
        self.company, self.tenant = self.add_company("Soak AB", connect=False)
        self._admin()
        self.connect()

    def add_company(self, name: str, connect: bool = True) -> tuple[Any, int]:
        """One more company on its own sandbox tenant (own token, own rate budget), as _setup's."""
        from app.mapping.models import MappingVersion
        from tests.closure_strategies import BAS_MAPPING
        from tests.factories import make_company, make_store

        company = make_company(self.session, name, f"559{random.randrange(10**6):06d}-0001")
        tenant = self.sandbox.create_tenant(company.name, company.orgnr, seed="bas")
        pair = _retrying(lambda: self.sandbox.issue_tokens(CLIENT_ID, CLIENT_SECRET, tenant, SCOPE))
        admin = {"Authorization": f"Bearer {pair['access_token']}"}
        for code in self.codes:
            body = {"CostCenter": {"Code": code, "Description": f"Butik {code}", "Active": True}}
            self.http.post("/3/costcenters", json=body, headers=admin).raise_for_status()
            make_store(self.session, company, code, f"Butik {code}")
        data = json.loads(json.dumps(BAS_MAPPING))
        data["stores"] = {c: {"name": c, "cost_center": c} for c in self.codes}
        self.session.add(MappingVersion(company_id=company.id, version=1, data=data))
        self.session.commit()
        if connect:
            self.connect(company, tenant)
        return company, tenant

    def _admin(self) -> None:
        """Read the tenant's books as its own bookkeeper (a token of its own)."""
        pair = _retrying(
            lambda: self.sandbox.issue_tokens(CLIENT_ID, CLIENT_SECRET, self.tenant, SCOPE)
        )
        self.http.headers["Authorization"] = f"Bearer {pair['access_token']}"

    def connect(self, company: Any = None, tenant: int | None = None) -> None:
        """Store a fresh token pair, as an admin's Authorize would, and wake held closures."""
        from app.posting.service import recheck_holds
        from tests.sandbox_fixtures import connect_company

        company = company or self.company
        tenant = self.tenant if tenant is None else tenant
        with self.app.app_context():
            _retrying(lambda: connect_company(self.session, company, self.sandbox, tenant))
            recheck_holds(self.session, company.id or 0)
            self.session.commit()

    def closures(self, count: int, seed: int = 1, start: int = 0) -> list[bytes]:
        """count valid closures spread over the stores and consecutive days, as JSON bodies."""
        from tests.posting.sandbox_support import day_closure

        rng = random.Random(seed)
        first = date(2026, 1, 1)
        out = []
        for i in range(start, start + count):
            store = self.codes[i % len(self.codes)]
            day = first + timedelta(days=i // len(self.codes) % 365)
            out.append(json.dumps(day_closure(store, 1000 + i, day.isoformat(), rng)).encode())
        return out

    def ingest(self, bodies: list[bytes], company: Any = None) -> int:
        """Take closures in through the ingest service (jobs are enqueued after each commit)."""
        from app.closures.ingest import ingest

        created = 0
        company = company or self.company
        with self.app.app_context():
            for raw in bodies:
                result = ingest(self.session, company=company, raw=raw, source="api", actor="soak")
                self.session.commit()
                created += result.status_code == 201
        return created

    def start_worker(self, name: str, queues: str = "sync", *flags: str) -> subprocess.Popen:
        """`python -m worker` in a process group of its own (so a kill takes its work horse too)."""
        log = open(Path(self.sandbox.data_dir) / f"worker-{name}.log", "ab")  # noqa: SIM115
        proc = subprocess.Popen(
            [sys.executable, "-m", "worker", "--queues", queues, "--name", name, *flags],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        self.workers[name] = proc
        return proc

    def busy(self, name: str) -> bool:
        """True while the named worker runs a job."""
        from rq import Worker

        from app.queue import get_redis

        with self.app.app_context():
            workers = Worker.all(connection=get_redis())
            return any(w.name == name and w.get_current_job_id() for w in workers)

    def kill(self, name: str) -> None:
        """SIGKILL a worker and its horse, mid-job if it has one."""
        proc = self.workers.pop(name)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_workers(self) -> None:
        """Stop every worker this rig started (and their horses)."""
        for name in list(self.workers):
            self.kill(name)

    def flush_redis(self) -> None:
        """FLUSHALL: every queued job, scheduled retry, lock and rate budget gone."""
        import redis

        redis.Redis.from_url(self.redis_url).flushall()

    def sweep(self) -> dict:
        """One run of the sweeper (what the worker's minute tick does)."""
        from worker.sweeper import sweep

        with self.app.app_context():
            counts = sweep(self.session)
            self.session.commit()
        return counts

    def states(self) -> Counter:
        """Closures of the company per state."""
        from app.closures.models import Closure

        self.session.expire_all()
        query = select(Closure.state, func.count()).where(Closure.company_id == self.company.id)
        return Counter(dict(self.session.exec(query.group_by(Closure.state)).all()))  # type: ignore[arg-type]

    def lost_connection(self) -> bool:
        """True when the company's Fortnox connection is marked lost."""
        from app.fortnox.models import FortnoxConnection

        self.session.expire_all()
        conn = self.session.exec(
            select(FortnoxConnection).where(FortnoxConnection.company_id == self.company.id)
        ).one()
        return conn.status != "connected"

    def settle(
        self, total: int, timeout: float, sweep_every: float = 1.0, stall: float | None = None
    ) -> Counter:
        """Sweep and reconnect (as an admin would) until total are posted, time's up or stall."""
        deadline = time.monotonic() + timeout
        posted, moved = -1, time.monotonic()
        while time.monotonic() < deadline:
            states = self.states()
            if states.get("posted", 0) >= total:
                return states
            if states.get("posted", 0) != posted:
                posted, moved = states.get("posted", 0), time.monotonic()
            elif stall is not None and time.monotonic() - moved > stall:
                return states
            if self.lost_connection():
                self.reconnects += 1
                self.connect()
            self.sweep()
            time.sleep(sweep_every)
        return self.states()

    def vouchers_by_key(self) -> dict[str, int]:
        """How many vouchers in the tenant's books carry each [KB:...] key."""
        from tests.soak.books import vouchers_by_key

        self._admin()  # tokens may have been expired on purpose since
        return vouchers_by_key(self.http)

    def reconcile(self, lo: date, hi: date) -> Any:
        """Run reconciliation over lo..hi in this process; its Summary."""
        from app.reconcile.service import reconcile

        with self.app.app_context():
            return reconcile(self.session, self.company.id or 0, lo, hi)

    def close(self) -> None:
        """Stop workers and close connections."""
        self.stop_workers()
        self.session.close()
        self.http.close()
        for key, value in self._knobs.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
