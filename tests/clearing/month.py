"""A month of posted closures with the acquirer's settlement CSV and the camt.053 built from them
(by app/bank/demo.py, which the demo seed builds with too).

Shared by the clearing tests, the browser test and bench/clearing_bench.py. Card takings are
settled by Adyen (two transactions a store-day, a 1,5 % fee) in weekly batches paid the Tuesday
after; cash is deposited each Monday for the week before. With plant=True the month carries the
differences the issue names: a missing payout, a short cash deposit, a refund, a split payout, a
terminal fee, and the last week's payout arriving the next month.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from app.bank.demo import Month, Plant, build
from app.bank.settlements import import_settlement
from app.bank.statements import import_statement
from app.closures.models import Closure
from app.companies.models import Company, Store
from app.mapping.models import MappingVersion
from app.mapping.schema import bas_default

CENT = Decimal("0.01")
MISSING = "B2026-03"  # the week of 12-18 January: the acquirer says paid, the bank never got it
SPLIT = "B2026-04"  # the week of 19-25 January: paid in two credits
FEE = Decimal("49.00")  # the monthly terminal fee, in the split batch
SHORT_CASH = Decimal("500.00")  # the second store's deposit of 19 January lacks this
REFUND = Decimal("150.00")  # the first store refunds this on 21 January (its card takings net)


def _money(value: Decimal) -> str:
    return f"{value.quantize(CENT)}"


def _batch(day: date) -> tuple[str, date]:
    """The weekly batch a day's card sales are paid in, and the Tuesday it is paid."""
    monday = day - timedelta(days=day.weekday())
    return f"B{monday.isocalendar()[0]}-{monday.isocalendar()[1]:02d}", monday + timedelta(days=8)


def _booked(day: date) -> date:
    """The bank's booking day: the next weekday that is not 6 January (a holiday)."""
    while day.weekday() >= 5 or day == date(2026, 1, 6):
        day += timedelta(days=1)
    return day


def build_month(
    stores: int = 3, year: int = 2026, month: int = 1, plant: bool = True, until: date | None = None
) -> Month:
    """The month's figures, settlement rows and bank entries (with until: the days to it, and
    what the acquirer and the bank had done by then)."""
    codes = [f"S{i:02d}" for i in range(1, stores + 1)]
    first = date(year, month, 1)
    days = [
        first + timedelta(days=n)
        for n in range(31)
        if (first + timedelta(days=n)).month == month and (until is None or n < until.day)
    ]
    card: dict[tuple[str, date], Decimal] = {}
    cash: dict[tuple[str, date], Decimal] = {}
    for i, code in enumerate(codes, start=1):
        for d in days:
            card[(code, d)] = Decimal(100000 + 5300 * i + 1700 * d.day + 37 * (d.day % 5)) / 100
            cash[(code, d)] = Decimal(20000 + 900 * i + 300 * (d.day % 6)) / 100
    planted = Plant()
    if plant:
        planted = Plant(
            missing=frozenset({MISSING}),
            split=SPLIT,
            fee=(SPLIT, days[20], FEE),
            refunds={(codes[0], days[20]): REFUND},
            short_cash={(codes[1], date(2026, 1, 19)): SHORT_CASH},
        )
    return build(card, cash, batch=_batch, booked=_booked, plant=planted, cutoff=until)


def store_in_books(
    session: Session,
    company: Company,
    built: Month,
    swish: dict[tuple[str, date], Decimal] | None = None,
) -> list[Store]:
    """The stores, the BAS mapping and every day's closure, posted (with Swish takings when
    swish gives a store-day's)."""
    mapping = MappingVersion(company_id=company.id, version=1, data=bas_default())
    session.add(mapping)
    stores = [
        Store(company_id=company.id, store_id=c, name=f"Butik {c}", cost_center=c)
        for c in built.stores
    ]
    session.add_all(stores)
    session.flush()
    for store in stores:
        for d in built.days:
            card, cash = built.card[(store.store_id, d)], built.cash[(store.store_id, d)]
            paid = (swish or {}).get((store.store_id, d))
            payload = {
                "payments": [
                    {"method": "CARD", "amount": _money(card)},
                    {"method": "CASH", "amount": _money(cash)},
                    *([{"method": "SWISH", "amount": _money(paid)}] if paid else []),
                ],
                "cash_count": {"expected": _money(cash), "counted": _money(cash)},
            }
            session.add(
                Closure(
                    company_id=company.id,
                    store_pk=store.id,
                    closure_id=f"{store.store_id}-{d}",
                    store_code=store.store_id,
                    register_id="R1",
                    z_number=d.toordinal() % 100000,
                    business_date=d,
                    payload=payload,
                    payload_hash=f"{store.store_id}{d}",
                    state="posted",
                    mapping_version_id=mapping.id,
                    voucher_series="A",
                    voucher_number=d.day,
                    voucher_year=d.year,
                )
            )
    session.commit()
    return stores


def import_files(session: Session, company: Company, built: Month) -> None:
    """The settlement report and the statement, imported as the bank page does."""
    settled = import_settlement(
        session,
        company=company,
        raw=built.csv(),
        profile="adyen",
        filename="adyen-2026-01.csv",
        source="upload",
    )
    assert settled.status_code == 201, settled.file.errors
    banked = import_statement(
        session, company=company, raw=built.camt(), filename="camt-2026-01.xml", source="upload"
    )
    assert banked.status_code == 201, banked.file.errors
    session.commit()
