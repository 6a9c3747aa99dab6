"""The after-post check of a company's day: every store its posts noted, in one read-back."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.posting.aftercheck import DONE, key_for
from app.queue import get_redis
from app.reconcile.service import reconcile_store_day


def check_noted(session: Session, company_id: int, day: date) -> int:
    """Check every noted store of the day, round after round until none is left; how many."""
    conn = get_redis()
    key, checked = key_for(company_id, day), 0
    while noted := conn.zrange(key, 0, -1, withscores=True):
        stores = sorted(store.decode() for store, _n in noted)
        reconcile_store_day(session, company_id, stores, day)
        conn.eval(DONE, 1, key, *[x for store, n in noted for x in (store, int(n))])
        checked += len(stores)
    return checked
