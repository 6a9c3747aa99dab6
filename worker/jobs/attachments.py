"""Attaching jobs on the `reports` queue: one closure revision's Z-report onto its voucher."""

from __future__ import annotations

from app.attachments.service import attach
from app.queue import get_redis
from worker.context import session_scope


def attach_zreport(closure_pk: int) -> str:
    """Attach one closure revision's Z-report (one job at a time per closure)."""
    with session_scope() as session:
        lock = get_redis().lock(f"kassabok:attach:{closure_pk}", timeout=900)
        if not lock.acquire(blocking=False):
            return "busy"
        try:
            return attach(session, closure_pk)
        finally:
            lock.release()
