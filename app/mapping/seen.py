"""Mapping codes the company's closures need, and which of them have no account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from app.closures.models import Closure
from app.mapping.codes import lookup, seen_codes


@dataclass
class Seen:
    """A mapping code seen in closures: where first, and how many closures carry it."""

    code: str
    z_number: int
    store_code: str
    business_date: date
    count: int = 1

    @property
    def section_key(self) -> tuple[str, str]:
        """The mapping section and key this code is booked through."""
        kind, _sep, rest = self.code.partition(":")
        section = {"payment": "payment_methods", "sales": "sales", "vat": "vat"}.get(kind, "other")
        return section, rest


def seen_in_closures(session: Session, company_id: int) -> list[Seen]:
    """Every mapping code the company's closures need, where first seen, in order of first sight."""
    rows = session.exec(
        select(Closure.z_number, Closure.store_code, Closure.business_date, Closure.payload)
        .where(Closure.company_id == company_id, Closure.is_latest.is_(True))  # type: ignore[attr-defined]
        .order_by(Closure.business_date, Closure.store_code, Closure.z_number)
        .execution_options(yield_per=500)
    )
    seen: dict[str, Seen] = {}
    for z_number, store_code, business_date, payload in rows:
        for code in seen_codes(payload or {}):
            if code in seen:
                seen[code].count += 1
            else:
                seen[code] = Seen(code, z_number, store_code, business_date)
    return list(seen.values())


def unmapped(seen: list[Seen], mapping: dict[str, Any]) -> list[Seen]:
    """The codes among seen that mapping gives no account."""
    return [s for s in seen if lookup(mapping, s.code) is None]
