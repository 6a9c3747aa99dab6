"""After a mapping or settings change: announce it (pre-flight and posting subscribe)."""

from __future__ import annotations

from sqlmodel import Session

from app import events


def after_change(session: Session, company_id: int) -> list[str]:
    """Announce that company's books changed; the names of the receivers that ran."""
    ran = events.receivers(events.BOOKS_CHANGED)
    events.announce(events.BOOKS_CHANGED, session, company_id)
    return [receiver.__name__ for receiver in ran]
