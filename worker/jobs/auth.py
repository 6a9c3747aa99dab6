"""Account jobs on the `sync` queue: mail a password-reset link."""

from __future__ import annotations

from app.auth.resets import send_link
from worker.context import session_scope


def send_reset_link(user_id: int) -> str:
    """Mail an active user a reset link (rq retries a refused mail); "sent" or "gone"."""
    with session_scope() as session:
        return send_link(session, user_id)
