"""A month of closures and a Fortnox cache with every story, checked, without a server."""

from __future__ import annotations

import calendar
import json
import random
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from app.closures.models import Closure
from app.companies.models import Company, Store
from app.posting.builder import BuildSettings, build_voucher
from app.reconcile import service
from app.reconcile.models import FortnoxVoucher, FortnoxVoucherRow
from tests.factories import make_store
from tests.posting.conftest import mapping_data, save_mapping
from tests.posting.sandbox_support import day_closure

# (store index, day) -> story; every other cell is an ordinary matched day.
STORIES = {
    (0, 3): "mismatch",
    (0, 5): "missing",
    (1, 4): "duplicate",
    (1, 8): "held",
    (2, 6): "failed",
    (2, 9): "pending",
    (0, 10): "superseded",
    (3, 7): "manual",
}


def seed_month(
    session: Session,
    company: Company,
    n_stores: int = 4,
    month: date | None = None,
    days: int | None = None,
) -> list[Store]:
    """Stores S01.. with a closure a day in month, posted into a matching cache, then checked."""
    month = month or date.today().replace(day=1)
    last = calendar.monthrange(month.year, month.month)[1]
    days = min(days or last, last)
    stores = [
        make_store(session, company, f"S{i + 1:02d}", f"Store {i + 1}") for i in range(n_stores)
    ]
    data = mapping_data()
    data["stores"] = {s.store_id: {"name": s.name, "cost_center": s.cost_center} for s in stores}
    version = save_mapping(session, company, data)
    rng = random.Random(3)
    number = 0
    closures = []
    for i, store in enumerate(stores):
        for d in range(1, days + 1):
            day = date(month.year, month.month, d)
            story = STORIES.get((i, d), "matched")
            payload = day_closure(store.store_id, 1000 + d, day.isoformat(), rng)
            number += 1
            closure = Closure(
                company_id=company.id,
                store_pk=store.id,
                closure_id=payload["closure_id"],
                store_code=store.store_id,
                register_id="R1",
                z_number=payload["z_number"],
                business_date=day,
                payload=payload,
                payload_hash=json.dumps(payload)[:64],
                state="posted",
                mapping_version_id=version.id,
                voucher_series="A",
                voucher_number=number,
                voucher_year=1,
            )
            if story in ("held", "failed", "pending"):
                closure.state = {"pending": "awaiting_approval"}.get(story, story)
                closure.voucher_series = closure.voucher_number = closure.voucher_year = None
                closure.state_reason = {
                    "held": "Payment method AMEX is not mapped. Map it on the mapping page.",
                    "failed": "Fortnox did not answer after 6 attempts.",
                }.get(story, "")
            if story == "superseded":
                closure.state, closure.hold_code = "held", "correction_due"
                closure.state_reason = "Revision 1 was already posted; a correction is due."
            session.add(closure)
            session.flush()
            closures.append(closure)
            if closure.voucher_number is None:
                continue
            draft = build_voucher(payload, data, BuildSettings(), store.cost_center)
            rows = [(r.account, r.cost_center, r.debit, r.credit) for r in draft.rows]
            if story == "mismatch":
                rows[0] = (rows[0][0], rows[0][1], rows[0][2] + Decimal("100.00"), rows[0][3])
                rows.append(("3001", store.cost_center, Decimal("0"), Decimal("100.00")))
            _cache(
                session,
                company,
                "A",
                number,
                day,
                draft.description,
                rows,
                missing=story == "missing",
            )
            if story == "duplicate":
                _cache(session, company, "I", number, day, "SIE-import dagskassa", rows)
            if story == "manual":
                extra = [
                    ("5460", store.cost_center, Decimal("120.00"), Decimal("0")),
                    ("1910", store.cost_center, Decimal("0"), Decimal("120.00")),
                ]
                _cache(session, company, "A", 90000 + number, day, "Kaffe", extra)
    session.commit()
    service.check(
        session,
        company,
        closures,
        date(month.year, month.month, 1),
        date(month.year, month.month, last),
    )
    session.commit()
    return stores


def _cache(
    session: Session,
    company: Company,
    series: str,
    number: int,
    day: date,
    text: str,
    rows: list,
    missing: bool = False,
) -> None:
    voucher = FortnoxVoucher(
        company_id=company.id,
        year=1,
        series=series,
        number=number,
        transaction_date=day,
        description=text,
        reference_type="MANUAL",
        rows_fetched=True,
        missing=missing,
    )
    from app.reconcile.facts import key_of

    voucher.key = key_of(text)
    session.add(voucher)
    session.flush()
    if missing:
        return
    for account, cc, debit, credit in rows:
        session.add(
            FortnoxVoucherRow(
                voucher_id=voucher.id, account=account, cost_center=cc, debit=debit, credit=credit
            )
        )
