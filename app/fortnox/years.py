"""Financial years per Fortnox company, cached in Redis with their date ranges for every worker."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import redis

from app.fortnox import api
from app.fortnox.client import FortnoxClient
from app.queue import get_redis

log = logging.getLogger(__name__)
TTL_SECONDS = 86400  # years change rarely; a day-old list is refetched anyway
# Fortnox's (simulated, FORTNOX.md §4.12) codes for "no such year" and "date outside the year".
YEAR_CODES = {2009108, 2009109}
YEAR_WORDS = ("räkenskapsår", "financial year", "fiscal year")


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
    """Drop the cached years (Fortnox said one is missing or unknown)."""
    try:
        get_redis().delete(key_for(client))
    except redis.RedisError:
        log.warning("financial years cache unreachable; nothing to forget")


def year_id(client: FortnoxClient, day: date | str) -> int | None:
    """The id of the financial year covering day: from the cache, else asked of Fortnox."""
    text = day.isoformat() if isinstance(day, date) else str(day)[:10]
    found = _covering(_cached(client), text)
    if found is None:  # a date outside every cached year: the year may be new
        found = _covering(refetch(client), text)
    return found


def is_year_error(err: Exception) -> bool:
    """True when Fortnox refused because the financial year is missing or not the date's."""
    code = getattr(err, "code", None)
    text = str(getattr(err, "message", "") or err).lower()
    return code in YEAR_CODES or any(word in text for word in YEAR_WORDS)
