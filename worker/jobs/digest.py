"""The digest's jobs: one a day enqueues a job per member (worker/schedule.py), each sends one."""

from __future__ import annotations

from datetime import date

from app.digest.job import enqueue_day, send_to
from worker.context import session_scope


def send_all(day: str | None = None) -> int:
    """Enqueue the digest of every member for day (ISO; today when not given): how many."""
    with session_scope() as session:
        return enqueue_day(session, date.fromisoformat(day) if day else None)


def send_one(user_id: int, day: str) -> str:
    """Send one user's digest for day unless it is off, empty or already sent; what happened."""
    with session_scope() as session:
        return send_to(session, user_id, date.fromisoformat(day))
