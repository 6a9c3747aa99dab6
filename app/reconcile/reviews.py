"""Accountants' reviews of store-days: who reviewed which day, when, why, and what they saw.

A review covers the differences it saw. When the day's differences change after it (another
amount, another account), the review no longer holds and the day is mismatched again until
someone reviews it anew: the latest review of a day decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_
from sqlmodel import Session, col, select

from app.auth.models import User
from app.reconcile.day import DayLine, fingerprint, fingerprinted, stored_lines
from app.reconcile.models import Review, StoreDayCheck

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
    saw: str | None = None  # the differences it saw (day.fingerprint); None: not kept then
    now: str = ""  # the day's differences as its last check found them

    @property
    def holds(self) -> bool:
        """True while the review covers the day's differences."""
        return holds(self.saw, self.now)

    def to_json(self) -> dict:
        """A JSON-ready form for the API."""
        return {"by": self.reviewer, "email": self.email, "at": self.at.isoformat(),
                "comment": self.comment, "fingerprint": self.saw, "holds": self.holds}  # fmt: skip


def holds(saw: str | None, now: str) -> bool:
    """True when a review that saw `saw` covers the differences `now`."""
    # A review from before reviews kept what they saw (None) counts as it always did: what it
    # covered is unknown, and un-reviewing them all at the upgrade would put every day the
    # accountants had already explained back on their lists.
    return saw is None or saw == now


def settled(reviews: list[Reviewed]) -> bool:
    """True when the day's latest review (they come oldest first) still holds."""
    return bool(reviews) and reviews[-1].holds


def changed(review: Reviewed, signed: Callable[[Decimal], str]) -> tuple[str, str] | None:
    """What the day differed by when reviewed and what now, written by signed; None if held.

    One amount each while one account at most differs on either side and the amounts are not
    equal; else each account with its difference (a net hides accounts that cancel out).
    """
    if review.holds:
        return None
    was, now = fingerprinted(review.saw or ""), fingerprinted(review.now)
    if len(was) <= 1 and len(now) <= 1 and _net(was) != _net(now):
        return signed(_net(was)), signed(_net(now))
    return _each(was, signed), _each(now, signed)


def _net(lines: tuple[DayLine, ...]) -> Decimal:
    """The lines' differences summed."""
    return sum((x.delta for x in lines), Decimal("0.00"))


def _each(lines: tuple[DayLine, ...], signed: Callable[[Decimal], str]) -> str:
    """Each account with its difference: "1930 +100,00 kr, 3001 −100,00 kr"."""
    return ", ".join(f"{x.account} {signed(x.delta)}" for x in lines) or signed(Decimal("0.00"))


def reviewer_name(user: User | None) -> str:
    """How a reviewer is named: their name, else their e-mail, else a dash."""
    if user is None:
        return "—"
    return user.name or user.email


def _day_check():  # type: ignore[no-untyped-def]
    """The join of a review to its store-day's last check."""
    return and_(
        StoreDayCheck.company_id == Review.company_id,
        StoreDayCheck.store_code == Review.store_code,
        StoreDayCheck.business_date == Review.business_date,
    )


def seen_now(session: Session, company_id: int, store_code: str, day: date) -> str:
    """The fingerprint of the store-day's differences as its last check found them."""
    detail = session.exec(
        select(StoreDayCheck.detail).where(
            StoreDayCheck.company_id == company_id,
            StoreDayCheck.store_code == store_code,
            StoreDayCheck.business_date == day,
        )
    ).first()
    return fingerprint(stored_lines(detail or {}))


def reviews_in(
    session: Session, company_id: int, lo: date, hi: date, stores: Iterable[str] | None = None
) -> dict[Day, list[Reviewed]]:
    """Every review of the company's store-days in [lo, hi], oldest first, by (store, day)."""
    query = (
        select(Review, User, StoreDayCheck.detail)
        .join(User, col(User.id) == Review.user_id, isouter=True)
        .join(StoreDayCheck, _day_check(), isouter=True)
        .where(Review.company_id == company_id, col(Review.business_date).between(lo, hi))
        .order_by(col(Review.at), col(Review.id))
    )
    if stores is not None:
        query = query.where(col(Review.store_code).in_(sorted(stores)))
    out: dict[Day, list[Reviewed]] = {}
    now: dict[Day, str] = {}
    for review, user, detail in session.exec(query).all():
        key = (review.store_code, review.business_date)
        if key not in now:
            now[key] = fingerprint(stored_lines(detail or {}))
        found = Reviewed(
            review.store_code,
            review.business_date,
            review.at,
            review.comment,
            reviewer_name(user),
            user.email if user else "",
            review.fingerprint,
            now[key],
        )
        out.setdefault(key, []).append(found)
    return out


def reviewed_days(
    session: Session, company_ids: Iterable[int], lo: date | None = None, hi: date | None = None
) -> set[tuple[int, str, date]]:
    """(company, store, day) of every store-day of the companies whose latest review holds."""
    ids = sorted(company_ids)
    if not ids:
        return set()
    query = (
        select(
            Review.company_id,
            Review.store_code,
            Review.business_date,
            Review.fingerprint,
            StoreDayCheck.detail,
        )
        .join(StoreDayCheck, _day_check(), isouter=True)
        .where(col(Review.company_id).in_(ids))
        .order_by(col(Review.at), col(Review.id))
    )
    if lo is not None and hi is not None:
        query = query.where(col(Review.business_date).between(lo, hi))
    latest: dict[tuple[int, str, date], tuple[str | None, dict | None]] = {}
    for cid, code, day, saw, detail in session.exec(query).all():
        latest[(cid, code, day)] = (saw, detail)
    return {
        key
        for key, (saw, detail) in latest.items()
        if saw is None or holds(saw, fingerprint(stored_lines(detail or {})))
    }
