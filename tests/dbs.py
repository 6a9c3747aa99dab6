"""Throwaway databases for the suite: a migrated SQLite template, or a fresh PostgreSQL database."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig

ROOT = Path(__file__).resolve().parent.parent


def migrate(url: str) -> None:
    """Bring the database at url to the newest revision with Alembic."""
    from app.db import make_engine

    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with make_engine(url).connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def sqlite_template(directory: Path) -> Path:
    """Migrate one SQLite file that each test copies."""
    path = directory / "template.db"
    migrate(f"sqlite:///{path}")
    from app.db import _engines

    _engines.pop(f"sqlite:///{path}").dispose()
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reachable(url: str) -> bool:
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def postgres_server() -> tuple[str | None, str, object]:
    """A server URL (TEST_DATABASE_URL, else a throwaway cluster), why not, and a stopper."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url:
        if _reachable(url):
            return url, "", None
        return None, f"TEST_DATABASE_URL={url} is not reachable", None
    initdb = shutil.which("initdb") or next(
        iter(Path("/usr/lib/postgresql").glob("*/bin/initdb")), None
    )
    if not initdb:
        return None, "no TEST_DATABASE_URL and no PostgreSQL binaries (initdb) to start one", None
    bindir = Path(initdb).parent
    data = Path(tempfile.mkdtemp(prefix="kb-pg-"))
    port = _free_port()
    user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if user:
        shutil.chown(data, "postgres")
    subprocess.run(
        [*user, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *user,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
            "-l",
            str(data / "log"),
        ],
        check=True,
        capture_output=True,
    )

    def stop() -> None:
        subprocess.run(
            [*user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(data, ignore_errors=True)

    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", "", stop


def create_database(server_url: str) -> tuple[str, object]:
    """Create and migrate a uniquely named database; return its URL and a dropper."""
    name = f"kassabok_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        # A throwaway database need not wait for its WAL on disk at every commit.
        conn.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    url = sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    migrate(url)
    _without_autovacuum(url)

    def drop() -> None:
        from app.db import _engines

        engine = _engines.pop(url, None)
        if engine is not None:
            engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def _without_autovacuum(url: str) -> None:
    """Keep rows where they were inserted, as TRUNCATE's fresh tables did.

    Once a vacuum has recorded the space DELETE freed, new rows fill it, and a query without
    ORDER BY returns them out of insertion order: a test relying on that order would fail by
    chance, depending on when autovacuum ran.
    """
    from app.db import make_engine

    with make_engine(url).begin() as conn:
        for name in _tables(conn):
            conn.execute(
                sa.text(
                    f'ALTER TABLE "{name}" SET (autovacuum_enabled = false,'
                    " toast.autovacuum_enabled = false)"
                )
            )


_EMPTIED: dict[str, int] = {}
FRESH_EVERY = 200  # tests; then TRUNCATE gives fresh tables, so dead rows do not pile up


def truncate_all(url: str) -> None:
    """Empty every table of a PostgreSQL test database between tests, sequences back at 1."""
    from app.db import make_engine

    _EMPTIED[url] = _EMPTIED.get(url, 0) + 1
    with make_engine(url).begin() as conn:
        delete, truncate = _emptying(url, conn)
        conn.execute(sa.text(truncate if _EMPTIED[url] % FRESH_EVERY == 0 else delete))


_EMPTYING: dict[str, tuple[str, str]] = {}


def _tables(conn: sa.Connection) -> list[str]:
    """The database's tables (Alembic's own left out), children before their parents."""
    meta = sa.MetaData()
    meta.reflect(conn)
    return [t.name for t in reversed(meta.sorted_tables) if t.name != "alembic_version"]


def _emptying(url: str, conn: sa.Connection) -> tuple[str, str]:
    """Two ways to empty the database: DELETE every table, children first, sequences back at 1
    (about 10 ms), and TRUNCATE (0.4-0.9 s: new files for every table and index)."""
    if url not in _EMPTYING:
        tables = _tables(conn)
        sequences = conn.execute(
            sa.text(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename)"
                " FROM pg_sequences"
            )
        ).scalars()
        restarts = ", ".join(f"setval('{s}', 1, false)" for s in sequences)
        delete = "; ".join([*(f'DELETE FROM "{name}"' for name in tables), f"SELECT {restarts}"])
        names = ", ".join(f'"{name}"' for name in tables)
        _EMPTYING[url] = (delete, f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    return _EMPTYING[url]
