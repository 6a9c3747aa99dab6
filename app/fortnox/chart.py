"""The company's Fortnox chart of accounts: cached in Redis, refreshed on demand, read as Chart."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass

from redis.exceptions import RedisError
from sqlmodel import Session, select

from app.companies.models import Company
from app.fortnox import api
from app.fortnox.client import FortnoxClient
from app.fortnox.errors import AuthLost, FortnoxError
from app.fortnox.models import FortnoxConnection
from app.mapping.chart import Account, Chart
from app.mapping.texts import _
from app.queue import get_redis

log = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class AccountInfo:
    """One account as Fortnox holds it."""

    number: str
    description: str
    active: bool
    cost_center_settings: str


def _key(company_id: int) -> str:
    """The Redis key of a company's cached chart."""
    return f"kassabok:fortnox:chart:{company_id}"


def _info(raw: dict) -> AccountInfo:
    """An AccountInfo from Fortnox's Account JSON."""
    return AccountInfo(
        number=str(raw.get("Number")),
        description=str(raw.get("Description") or ""),
        active=bool(raw.get("Active", True)),
        cost_center_settings=str(raw.get("CostCenterSettings") or "ALLOWED").upper(),
    )


def fetch(client: FortnoxClient, company_id: int) -> list[AccountInfo]:
    """Read the chart from Fortnox through client and cache it."""
    infos = sorted(map(_info, api.list_accounts(client)), key=lambda a: a.number)
    get_redis().set(_key(company_id), json.dumps([asdict(a) for a in infos]), ex=TTL_SECONDS)
    return infos


def accounts(session: Session, company: Company, *, refresh: bool = False) -> list[AccountInfo]:
    """The chart: from the cache, or from Fortnox when asked to or when nothing is cached."""
    if not refresh:
        cached = get_redis().get(_key(company.id or 0))
        if cached:
            return [AccountInfo(**row) for row in json.loads(cached)]
    with api.client_for(session, company.id or 0) as client:
        return fetch(client, company.id or 0)


def forget(company_id: int) -> None:
    """Drop the cached chart (after a disconnect or a new connection)."""
    get_redis().delete(_key(company_id))


def search_accounts(
    session: Session, company: Company, q: str, limit: int = 20
) -> list[AccountInfo]:
    """Accounts whose number starts with q or whose description contains it."""
    needle = q.strip().lower()
    hits = [
        a
        for a in accounts(session, company)
        if not needle or a.number.startswith(needle) or needle in a.description.lower()
    ]
    hits.sort(key=lambda a: (not a.number.startswith(needle), a.number))
    return hits[:limit]


def _as_account(info: AccountInfo) -> Account:
    """An AccountInfo as the mapping's Account."""
    return Account(
        number=str(info.number),
        description=str(getattr(info, "description", "") or ""),
        active=bool(getattr(info, "active", True)),
        cost_center_settings=str(getattr(info, "cost_center_settings", "") or "ALLOWED").upper(),
    )


def _connected(session: Session, company: Company) -> bool:
    """True when the company holds a live Fortnox connection."""
    conn = session.exec(
        select(FortnoxConnection).where(FortnoxConnection.company_id == company.id)
    ).first()
    return conn is not None and conn.status == "connected"


def load_chart(session: Session, company: Company, *, refresh: bool = False) -> Chart:
    """The company's chart from the cache (or Fortnox) for the mapping, or why it cannot be had."""
    if not _connected(session, company):
        return Chart(unavailable=_("Not connected to Fortnox, so the chart cannot be read."))
    try:
        infos = accounts(session, company, refresh=refresh)
    except AuthLost:
        return Chart(unavailable=_("The Fortnox connection was lost, so the chart cannot be read."))
    except (FortnoxError, RedisError):
        # The page must still work by typed numbers whatever Fortnox or the cache answered.
        log.warning("chart of accounts unavailable for company %s", company.id, exc_info=True)
        return Chart(unavailable=_("Fortnox did not answer with the chart of accounts just now."))
    return Chart(accounts={a.number: a for a in map(_as_account, infos)})
