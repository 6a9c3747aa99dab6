"""Sample closures (variants of SPEC's café day) for the report tests, the bench and the docs."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from app.audit.service import record
from app.closures.models import Closure, ClosureState
from app.companies.models import Company, Store
from app.reconcile.models import ClosureCheck, StoreDayCheck

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "closures" / "cafe-full-day.json"
AMOUNT_KEYS = {
    "net",
    "vat",
    "gross",
    "amount",
    "expected",
    "counted",
    "tip",
    "unit_price_net",
    "rounding",
}


def cafe_day() -> dict[str, Any]:
    """SPEC's worked example, contracts/examples/cafe-full-day.json."""
    return json.loads(EXAMPLE.read_text())


def scaled(value: Any, factor: int) -> Any:
    """Every amount in a payload multiplied by factor (so every balance still holds)."""
    if isinstance(value, dict):
        return {
            k: f"{Decimal(v) * factor:.2f}"
            if k in AMOUNT_KEYS and isinstance(v, str)
            else scaled(v, factor)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [scaled(v, factor) for v in value]
    return value


def variant(
    store: Store, day: date, z_number: int, factor: int, revision: int = 1
) -> dict[str, Any]:
    """The café day as store's closure number z_number on day, amounts times factor."""
    payload = scaled(copy.deepcopy(cafe_day()), factor)
    payload.update(
        closure_id=f"opn-7731:{store.store_id}:R1:Z{z_number}",
        revision=revision,
        store_id=store.store_id,
        business_date=day.isoformat(),
        z_number=z_number,
        opened_at=f"{day.isoformat()}T07:58:12+01:00",
        closed_at=f"{day.isoformat()}T18:14:03+01:00",
    )
    return payload


def payload_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of the payload's canonical JSON."""
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def add_closure(
    session: Session,
    company: Company,
    store: Store,
    payload: dict[str, Any],
    state: str = ClosureState.POSTED,
    voucher: int | None = None,
    reason: str = "",
    events: bool = True,
) -> Closure:
    """One stored closure revision in state, with its voucher and its audit events."""
    day = date.fromisoformat(payload["business_date"])
    closure = Closure(
        company_id=company.id or 0,
        store_pk=store.id,
        closure_id=payload["closure_id"],
        revision=payload["revision"],
        store_code=store.store_id,
        register_id=payload["register_id"],
        z_number=payload["z_number"],
        business_date=day,
        payload=payload,
        payload_hash=payload_hash(payload),
        state=state,
        state_reason=reason,
        hold_code="unmapped" if state == ClosureState.HELD else "",
        voucher_series="A" if voucher else None,
        voucher_number=voucher,
        voucher_year=day.year if voucher else None,
    )
    session.add(closure)
    session.flush()
    if events:
        detail = {"revision": closure.revision, "source": "api", "store": store.store_id}
        record(
            session,
            action="closure.received",
            company_id=company.id,
            actor="pos",
            target=closure.closure_id,
            detail=detail,
        )
        if voucher:
            answer = {"series": "A", "number": voucher, "year": day.year}
            record(
                session,
                action="closure.voucher_posted",
                company_id=company.id,
                actor="worker",
                target=f"closure:{closure.id}",
                detail={"answer": answer},
            )
    return closure


def seed_month(
    session: Session, company: Company, stores: list[Store], first: date, days: int = 30
) -> list[Closure]:
    """One posted closure per store and day (store n's amounts times n+1), committed."""
    made, number = [], 1
    for n, store in enumerate(stores):
        for d in range(days):
            payload = variant(store, first + timedelta(days=d), 1000 + d, n + 1)
            made.append(add_closure(session, company, store, payload, voucher=number))
            number += 1
    session.commit()
    return made


def mark_reconciled(session: Session, company: Company) -> None:
    """What app.reconcile records when Fortnox holds exactly what was posted: all matched."""
    for c in session.exec(select(Closure).where(Closure.company_id == company.id)).all():
        if not (c.is_latest and c.state == ClosureState.POSTED):
            continue
        gross = sum(Decimal(s["gross"]) for s in c.payload["sales"])
        session.add(
            ClosureCheck(
                company_id=company.id,
                closure_pk=c.id,
                store_code=c.store_code,
                business_date=c.business_date,
                status="matched",
                state_version=c.state_version,
            )
        )
        session.add(
            StoreDayCheck(
                company_id=company.id,
                store_pk=c.store_pk,
                store_code=c.store_code,
                business_date=c.business_date,
                status="matched",
                pos_total=gross,
                fortnox_total=gross,
            )
        )
    session.commit()
