"""Fortnox's registers a voucher date must pass: financial years (cached) and the locked period.

Whether a day can take a voucher is read from GET /3/financialyears and GET
/3/settings/lockedperiod, never from a refusal's code (FORTNOX.md §4.12: none is documented).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

import redis

from app.fortnox import api
from app.fortnox.client import FortnoxClient
from app.fortnox.errors import NeedsAction
from app.queue import get_redis

log = logging.getLogger(__name__)
TTL_SECONDS = 86400  # years change rarely; a day-old list is refetched anyway


@dataclass(frozen=True)
class Period:
    """What Fortnox's registers say of one day: the year covering it, the lock it falls in."""

    day: str
    year_id: int | None
    locked_until: str | None = None  # the locked period's last day, when day falls in it


def key_for(client: FortnoxClient) -> str:
    """The Redis key of the years of the Fortnox company client opens."""
    return f"kassabok:fortnox:years:{client.company_id}:{getattr(client, 'tenant', '')}"


def _span(year: dict) -> tuple[str, str, int]:
    """(from, to, id) of one FinancialYears item."""
    return str(year["FromDate"])[:10], str(year["ToDate"])[:10], int(year["Id"])


def _covering(spans: list[list[Any]], day: str) -> int | None:
    """The id of the year whose range holds day (ISO dates compare as strings)."""
    for lo, hi, year_id in spans:
        if lo <= day <= hi:
            return int(year_id)
    return None


def _cached(client: FortnoxClient) -> list[list[Any]]:
    """The cached spans, or none when Redis has none (or is unreachable)."""
    try:
        raw = get_redis().get(key_for(client))
    except redis.RedisError:
        log.warning("financial years cache unreachable; asking Fortnox")
        return []
    return json.loads(raw) if raw else []


def refetch(client: FortnoxClient) -> list[list[Any]]:
    """Ask Fortnox for every financial year and cache their ranges."""
    spans = [list(_span(y)) for y in api.financial_years(client)]
    try:
        get_redis().set(key_for(client), json.dumps(spans), ex=TTL_SECONDS)
    except redis.RedisError:
        log.warning("financial years cache unreachable; not cached")
    return spans


def forget(client: FortnoxClient) -> None:
    """Drop the cached years, so the next read asks Fortnox (after it refused a voucher)."""
    try:
        get_redis().delete(key_for(client))
    except redis.RedisError:
        log.warning("financial years cache unreachable; nothing to forget")


def _iso(day: date | str) -> str:
    return day.isoformat() if isinstance(day, date) else str(day)[:10]


def year_id(client: FortnoxClient, day: date | str) -> int | None:
    """The id of the financial year covering day: from the cache, else asked of Fortnox."""
    text = _iso(day)
    found = _covering(_cached(client), text)
    if found is None:  # a date outside every cached year: the year may be new
        found = _covering(refetch(client), text)
    return found


def locked_until(client: FortnoxClient) -> str | None:
    """The last locked day as Fortnox's register says now, or None (also when it is unreadable)."""
    try:
        end = api.locked_until(client)
    except NeedsAction as err:  # e.g. no settings permission: Fortnox still refuses a locked day
        log.warning("company %s: locked period not readable (%s)", client.company_id, err)
        return None
    return end.isoformat() if end else None


def _lock_on(client: FortnoxClient, day: str) -> str | None:
    """The locked period's end, read now, when day falls in it."""
    end = locked_until(client)
    return end if end is not None and day <= end else None


def period(client: FortnoxClient, day: date | str, stored_lock: str | None = None) -> Period:
    """The year covering day and the lock it falls in (a stored lock that would stop is re-read)."""
    text = _iso(day)
    found = year_id(client, text)
    if stored_lock is None or text > stored_lock[:10]:
        return Period(text, found)
    return Period(text, found, _lock_on(client, text))  # the stored end may predate an unlock


def recheck(client: FortnoxClient, day: date | str, sent_year: int) -> Period:
    """After a refusal, the registers read anew: the years, then the lock if the year stands."""
    text = _iso(day)
    forget(client)
    found = year_id(client, text)
    return Period(text, found, _lock_on(client, text) if found == sent_year else None)


def stored_lock(session: Any, company_id: int) -> str | None:
    """The locked period's end as the last pre-flight read it from Fortnox (no request)."""
    from app.fortnox.preflight import stored

    ends = [c.params.get("end") for c in stored(session, company_id) if c.kind == "locked"]
    return str(ends[0])[:10] if ends and ends[0] else None
