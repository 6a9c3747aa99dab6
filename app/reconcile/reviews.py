"""Accountants' reviews of store-days: who reviewed which day, when and why, for every reader."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from app.auth.models import User
from app.reconcile.models import Review

Day = tuple[str, date]  # store code, business date


@dataclass(frozen=True)
class Reviewed:
    """One review of a store-day, with the reviewer as people know them."""

    store_code: str
    day: date
    at: datetime
    comment: str
    reviewer: str  # the user's name, else their e-mail; "—" once the user is deleted
    email: str = ""

    def to_json(self) -> dict:
        """A JSON-ready form for the API."""
        return {"by": self.reviewer, "email": self.email, "at": self.at.isoformat(),
                "comment": self.comment}  # fmt: skip


def reviewer_name(user: User | None) -> str:
    """How a reviewer is named: their name, else their e-mail, else a dash."""
    if user is None:
        return "—"
    return user.name or user.email


def reviews_in(
    session: Session, company_id: int, lo: date, hi: date, stores: Iterable[str] | None = None
) -> dict[Day, list[Reviewed]]:
    """Every review of the company's store-days in [lo, hi], oldest first, by (store, day)."""
    query = (
        select(Review, User)
        .join(User, col(User.id) == Review.user_id, isouter=True)
        .where(Review.company_id == company_id, col(Review.business_date).between(lo, hi))
        .order_by(col(Review.at), col(Review.id))
    )
    if stores is not None:
        query = query.where(col(Review.store_code).in_(sorted(stores)))
    out: dict[Day, list[Reviewed]] = {}
    for review, user in session.exec(query).all():
        found = Reviewed(
            review.store_code,
            review.business_date,
            review.at,
            review.comment,
            reviewer_name(user),
            user.email if user else "",
        )
        out.setdefault((review.store_code, review.business_date), []).append(found)
    return out


def reviewed_days(session: Session, company_ids: Iterable[int]) -> set[tuple[int, str, date]]:
    """(company, store, day) of every reviewed store-day of the companies."""
    ids = sorted(company_ids)
    if not ids:
        return set()
    query = select(Review.company_id, Review.store_code, Review.business_date).where(
        col(Review.company_id).in_(ids)
    )
    return {(cid, code, day) for cid, code, day in session.exec(query).all()}
