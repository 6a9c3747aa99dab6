"""SQLite state of the sandbox: JSON documents per tenant, counters, OAuth grants."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app

from sandbox import jsonio

SCHEMA = """
CREATE TABLE IF NOT EXISTS clients(
  client_id TEXT PRIMARY KEY, secret TEXT NOT NULL, redirect_uri TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tenants(
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, orgnr TEXT NOT NULL,
  locked_end TEXT, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs(
  tenant INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, sort TEXT NOT NULL,
  date TEXT, modified TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL,
  PRIMARY KEY(tenant, kind, key));
CREATE INDEX IF NOT EXISTS docs_sort ON docs(tenant, kind, sort);
CREATE TABLE IF NOT EXISTS counters(
  tenant INTEGER NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL,
  PRIMARY KEY(tenant, name));
CREATE TABLE IF NOT EXISTS grants(
  token TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL, tenant INTEGER NOT NULL,
  scope TEXT NOT NULL, redirect_uri TEXT, expires REAL NOT NULL,
  used INTEGER NOT NULL DEFAULT 0, revoked INTEGER NOT NULL DEFAULT 0);
"""
TABLES = ("tenants", "docs", "counters", "grants")


def now_text() -> str:
    """The current local time as Fortnox prints it in lastmodified."""
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")


class Store:
    """Thread-safe access to one SQLite file: a connection per thread, one writer at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.RLock()
        with self._lock:
            self.conn.executescript(SCHEMA)

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection, if any."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and not conn.in_transaction:
            conn.close()
            self._local.conn = None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one."""
        with self._lock:
            conn = self.conn
            if conn.in_transaction:
                yield conn
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def query(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        """Rows of a read query."""
        return self.conn.execute(sql, args).fetchall()

    def wipe(self, clients: bool = False) -> None:
        """Delete all state (and the registered clients when asked)."""
        with self.write() as conn:
            for table in TABLES + (("clients",) if clients else ()):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            conn.execute("DELETE FROM sqlite_sequence")

    # documents

    def get(self, tenant: int, kind: str, key: str, deleted: bool = False) -> dict | None:
        """One document, or None."""
        rows = self.query(
            "SELECT body, deleted FROM docs WHERE tenant=? AND kind=? AND key=?", tenant, kind, key
        )
        if not rows or (rows[0]["deleted"] and not deleted):
            return None
        return jsonio.loads(rows[0]["body"])

    def exists(self, tenant: int, kind: str, key: str) -> bool:
        """Whether a key was ever used, deleted or not."""
        return bool(
            self.query("SELECT 1 FROM docs WHERE tenant=? AND kind=? AND key=?", tenant, kind, key)
        )

    def put(
        self, tenant: int, kind: str, key: str, body: dict, sort: str = "", date: str | None = None
    ) -> None:
        """Insert or replace a document, stamping its modification time."""
        with self.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO docs"
                "(tenant, kind, key, sort, date, modified, deleted, body) VALUES (?,?,?,?,?,?,0,?)",
                (tenant, kind, key, sort or key, date, now_text(), jsonio.dumps(body)),
            )

    def delete(self, tenant: int, kind: str, key: str) -> None:
        """Mark a document deleted; its key stays used."""
        with self.write() as conn:
            conn.execute(
                "UPDATE docs SET deleted=1, modified=? WHERE tenant=? AND kind=? AND key=?",
                (now_text(), tenant, kind, key),
            )

    def docs(
        self,
        tenant: int,
        kind: str,
        *,
        from_date: str | None = None,
        to_date: str | None = None,
        modified_since: str | None = None,
    ) -> list[dict]:
        """Documents of a kind in sort order, narrowed by date and modification time."""
        sql = "SELECT body FROM docs WHERE tenant=? AND kind=? AND deleted=0"
        args: list[Any] = [tenant, kind]
        for clause, value in (
            (" AND date>=?", from_date),
            (" AND date<=?", to_date),
            (" AND modified>=?", modified_since),
        ):
            if value is not None:
                sql += clause
                args.append(value)
        return [jsonio.loads(r["body"]) for r in self.query(sql + " ORDER BY sort", *args)]

    def modified(self, tenant: int, kind: str, key: str) -> str | None:
        """When a document last changed."""
        rows = self.query(
            "SELECT modified FROM docs WHERE tenant=? AND kind=? AND key=?", tenant, kind, key
        )
        return rows[0]["modified"] if rows else None

    def next_number(self, tenant: int, name: str, start: int = 1) -> int:
        """Take the next number of a counter."""
        with self.write() as conn:
            row = conn.execute(
                "SELECT value FROM counters WHERE tenant=? AND name=?", (tenant, name)
            ).fetchone()
            value = row["value"] if row else start
            conn.execute(
                "INSERT OR REPLACE INTO counters(tenant, name, value) VALUES (?,?,?)",
                (tenant, name, value + 1),
            )
        return value

    def peek_number(self, tenant: int, name: str, start: int = 1) -> int:
        """The number a counter would give next."""
        rows = self.query("SELECT value FROM counters WHERE tenant=? AND name=?", tenant, name)
        return rows[0]["value"] if rows else start

    # tenants

    def tenant(self, tenant_id: int) -> sqlite3.Row | None:
        """A tenant row, or None."""
        rows = self.query("SELECT * FROM tenants WHERE id=?", tenant_id)
        return rows[0] if rows else None

    def tenants(self) -> list[sqlite3.Row]:
        """All tenants by id."""
        return self.query("SELECT * FROM tenants ORDER BY id")


def current_store() -> Store:
    """The store of the running sandbox app."""
    return current_app.extensions["sandbox.store"]
