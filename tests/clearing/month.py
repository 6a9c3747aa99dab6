"""A month of posted closures with the acquirer's settlement CSV and the camt.053 built from them.

Shared by the clearing tests, the browser test and bench/clearing_bench.py. Card takings are
settled by Adyen (two transactions a store-day, a 1,5 % fee) in weekly batches paid the Tuesday
after; cash is deposited each Monday for the week before. With plant=True the month carries the
differences the issue names: a missing payout, a short cash deposit, a refund, a split payout, a
terminal fee, and the last week's payout arriving the next month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from app.bank.settlements import import_settlement
from app.bank.statements import import_statement
from app.closures.models import Closure
from app.companies.models import Company, Store
from app.mapping.models import MappingVersion
from app.mapping.schema import bas_default
from tests.bank.camt_builder import Ntry, Tx, statement

CENT = Decimal("0.01")
HEADER = (
    "Company Account,Merchant Account,Psp Reference,Merchant Reference,Payment Method,"
    "Creation Date,TimeZone,Type,Modification Reference,Gross Currency,Gross Debit (GC),"
    "Gross Credit (GC),Exchange Rate,Net Currency,Net Debit (NC),Net Credit (NC),"
    "Commission (NC),Markup (NC),Scheme Fees (NC),Interchange (NC),Payment Method Variant,"
    "Modification Merchant Reference,Batch Number,Store"
)
MISSING = "B2026-03"  # the week of 12-18 January: the acquirer says paid, the bank never got it
SPLIT = "B2026-04"  # the week of 19-25 January: paid in two credits
FEE = Decimal("49.00")  # the monthly terminal fee, in the split batch
SHORT_CASH = Decimal("500.00")  # the second store's deposit of 19 January lacks this
REFUND = Decimal("150.00")  # the first store refunds this on 21 January (its card takings net)


@dataclass
class Month:
    """What was built, and what the planted differences should come to."""

    stores: list[str]
    days: list[date]
    card: dict[tuple[str, date], Decimal] = field(default_factory=dict)
    cash: dict[tuple[str, date], Decimal] = field(default_factory=dict)
    payouts: dict[str, Decimal] = field(default_factory=dict)  # reference -> net paid
    fees: dict[str, Decimal] = field(default_factory=dict)
    rows: list[str] = field(default_factory=list)
    entries: list[Ntry] = field(default_factory=list)

    def csv(self) -> bytes:
        """The Adyen settlement details report."""
        return ("\n".join([HEADER, *self.rows]) + "\n").encode()

    def camt(self) -> bytes:
        """The bank's camt.053 for the month and the first days of the next."""
        return statement(self.entries, version=8, statement_id="STMT-2026-01")


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


def build_month(stores: int = 3, year: int = 2026, month: int = 1, plant: bool = True) -> Month:
    """The month's figures, settlement rows and bank entries."""
    codes = [f"S{i:02d}" for i in range(1, stores + 1)]
    first = date(year, month, 1)
    days = [
        first + timedelta(days=n) for n in range(31) if (first + timedelta(days=n)).month == month
    ]
    built = Month(codes, days)
    batch_days: dict[str, date] = {}
    net: dict[str, Decimal] = {}
    psp = 0
    for i, code in enumerate(codes, start=1):
        for d in days:
            card = Decimal(100000 + 5300 * i + 1700 * d.day + 37 * (d.day % 5)) / 100
            cash = Decimal(20000 + 900 * i + 300 * (d.day % 6)) / 100
            ref, paid_on = _batch(d)
            batch_days[ref] = paid_on
            sales = [(card * Decimal("0.6")).quantize(CENT)]
            sales.append(card - sales[0])
            if plant and i == 1 and d.day == 21:
                sales[1] += REFUND
            for gross in sales:
                psp += 1
                fee = (gross * Decimal("0.015")).quantize(CENT)
                built.rows.append(
                    f"KB,KBSE,{psp},{code}-{d},visa,{d} 12:00:00,CET,Settled,,SEK,,{_money(gross)},"
                    f"1,SEK,,{_money(gross - fee)},0.00,{_money(fee)},0.00,0.00,visadebit,,"
                    f"{ref},{code}"
                )
                net[ref] = net.get(ref, Decimal(0)) + gross - fee
                built.fees[ref] = built.fees.get(ref, Decimal(0)) + fee
            if plant and i == 1 and d.day == 21:
                psp += 1
                built.rows.append(
                    f"KB,KBSE,{psp},{code}-{d}-R,visa,{d} 18:00:00,CET,Refunded,,SEK,"
                    f"{_money(REFUND)},,1,SEK,{_money(REFUND)},,0.00,0.00,0.00,0.00,visadebit,,{ref},{code}"
                )
                net[ref] -= REFUND
            built.card[(code, d)] = card
            built.cash[(code, d)] = cash
    if plant:
        built.rows.append(
            f"KB,KBSE,,,,{days[20]} 06:00:00,CET,Fee,,SEK,,,1,SEK,{_money(FEE)},,,,,,,"
            f"Monthly terminal fee,{SPLIT},"
        )
        net[SPLIT] -= FEE
        built.fees[SPLIT] += FEE
    for n, (ref, paid_on) in enumerate(sorted(batch_days.items()), start=1):
        amount = net[ref]
        built.payouts[ref] = amount
        built.rows.append(
            f"KB,KBSE,,,,{paid_on} 06:00:00,CET,MerchantPayout,,SEK,,,1,SEK,{_money(amount)},,"
            f",,,,,TX{n} batch {ref},{ref},"
        )
        booked = _booked(paid_on).isoformat()
        if plant and ref == MISSING:
            continue
        parts = [amount]
        if plant and ref == SPLIT:
            parts = [(amount / 2).quantize(CENT), amount - (amount / 2).quantize(CENT)]
        for k, part in enumerate(parts, start=1):
            built.entries.append(
                Ntry(
                    _money(part),
                    booked=booked,
                    valued=booked,
                    servicer_ref=f"P{n}-{k}",
                    txs=[Tx(text=f"ADYEN NV PAYOUT {ref} KBSE", party="Adyen N.V.")],
                )
            )
    _deposits(built, codes, days, plant)
    return built


def _deposits(built: Month, codes: list[str], days: list[date], plant: bool) -> None:
    """Each store's Monday deposit of the week before's cash (the last one the next month)."""
    for i, code in enumerate(codes, start=1):
        weeks: dict[date, list[date]] = {}
        for d in days:
            weeks.setdefault(d + timedelta(days=7 - d.weekday()), []).append(d)
        for monday, covered in sorted(weeks.items()):
            amount = sum((built.cash[(code, d)] for d in covered), Decimal(0))
            if plant and i == 2 and monday == date(2026, 1, 19):
                amount -= SHORT_CASH
            booked = _booked(monday).isoformat()
            built.entries.append(
                Ntry(
                    _money(amount),
                    booked=booked,
                    valued=booked,
                    servicer_ref=f"C{code}-{monday}",
                    code=("PMNT", "CNTR", "CDPT"),
                    txs=[Tx(text=f"Insättning dagskassa {code} {covered[-1]}")],
                )
            )


def store_in_books(session: Session, company: Company, built: Month) -> list[Store]:
    """The stores, the BAS mapping and every day's closure, posted."""
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
            payload = {
                "payments": [
                    {"method": "CARD", "amount": _money(card)},
                    {"method": "CASH", "amount": _money(cash)},
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
