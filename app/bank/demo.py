"""Till-to-bank files built from card and cash takings: an Adyen settlement CSV and a camt.053.

The demo seed (app/seed_bank.py), the clearing tests and bench/clearing_bench.py build with it.
Card takings are settled two transactions a store-day at a 1,5 % fee, in the batches `batch`
names and pays; each store deposits a week's cash the Monday after. A Plant adds the differences
an accountant looks for: a payout the bank never got, a payout in two credits, a terminal fee, a
refund, a short cash deposit. With `cutoff`, what is paid or booked after it is left out (not
paid yet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from app.bank.camt_write import Ntry, Tx, statement

CENT = Decimal("0.01")
FEE_RATE = Decimal("0.015")
TRANSFER = ("PMNT", "RCDT", "ESCT")  # ISO 20022 bank transaction codes: a credit transfer in
DEPOSIT = ("PMNT", "CNTR", "CDPT")  # a cash deposit over the counter
SWISH_IN = ("PMNT", "RCDT", "DMCT")  # a domestic credit transfer received: Swish för handel
HEADER = (
    "Company Account,Merchant Account,Psp Reference,Merchant Reference,Payment Method,"
    "Creation Date,TimeZone,Type,Modification Reference,Gross Currency,Gross Debit (GC),"
    "Gross Credit (GC),Exchange Rate,Net Currency,Net Debit (NC),Net Credit (NC),"
    "Commission (NC),Markup (NC),Scheme Fees (NC),Interchange (NC),Payment Method Variant,"
    "Modification Merchant Reference,Batch Number,Store"
)


@dataclass(frozen=True)
class Plant:
    """The differences to plant; all empty gives files that match the takings to the öre."""

    missing: frozenset[str] = frozenset()  # payout references the bank never got
    split: str = ""  # a payout reference paid in two credits
    fee: tuple[str, date, Decimal] | None = None  # a terminal fee: (payout reference, day, amount)
    refunds: dict[tuple[str, date], Decimal] = field(default_factory=dict)  # (store, day)
    short_cash: dict[tuple[str, date], Decimal] = field(default_factory=dict)  # (store, Monday)


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
    statement_id: str = "STMT-2026-01"
    period: tuple[str, str] = ("2026-11-26", "2026-11-26")

    def csv(self) -> bytes:
        """The Adyen settlement details report."""
        return ("\n".join([HEADER, *self.rows]) + "\n").encode()

    def camt(self, opening: str = "1000.00") -> bytes:
        """The bank's camt.053 of the payouts and deposits."""
        return statement(
            self.entries,
            version=8,
            statement_id=self.statement_id,
            opening=opening,
            period=self.period,
        )


def _money(value: Decimal) -> str:
    return f"{value.quantize(CENT)}"


def _credit(
    amount: Decimal, on: date, ref: str, tx: Tx, code: tuple[str, str, str] = TRANSFER
) -> Ntry:
    """A credit booked and valued on one day, with one transaction's details."""
    day = on.isoformat()
    return Ntry(_money(amount), booked=day, valued=day, servicer_ref=ref, code=code, txs=[tx])


def build(
    card: dict[tuple[str, date], Decimal],
    cash: dict[tuple[str, date], Decimal],
    *,
    batch: Callable[[date], tuple[str, date]],
    booked: Callable[[date], date],
    plant: Plant | None = None,
    cutoff: date | None = None,
    swish: dict[tuple[str, date], Decimal] | None = None,
    swish_numbers: dict[str, str] | None = None,
) -> Month:
    """Settlement rows and bank entries for the takings (store, day) -> amount, in their order.

    batch(day) names the payout a day's card sales are paid in and the day it is paid;
    booked(day) is the bank's booking day of what is paid or deposited on day. Swish takings,
    when given, reach the bank as one summed credit a store-day the next banking day, naming
    the store's Swish number.
    """
    plant = plant or Plant()
    codes = list(dict.fromkeys(store for store, _day in [*card, *cash]))
    days = sorted({day for _store, day in [*card, *cash]})
    built = Month(codes, days, dict(card), dict(cash))
    paid_on: dict[str, date] = {}
    net: dict[str, Decimal] = {}
    psp = 0
    for (code, d), amount in card.items():
        ref, paid_on[ref] = batch(d)
        sales = [(amount * Decimal("0.6")).quantize(CENT)]
        sales.append(amount - sales[0])
        refund = plant.refunds.get((code, d))
        if refund:
            sales[1] += refund
        for gross in sales:
            psp += 1
            fee = (gross * FEE_RATE).quantize(CENT)
            built.rows.append(
                f"KB,KBSE,{psp},{code}-{d},visa,{d} 12:00:00,CET,Settled,,SEK,,{_money(gross)},"
                f"1,SEK,,{_money(gross - fee)},0.00,{_money(fee)},0.00,0.00,visadebit,,"
                f"{ref},{code}"
            )
            net[ref] = net.get(ref, Decimal(0)) + gross - fee
            built.fees[ref] = built.fees.get(ref, Decimal(0)) + fee
        if refund:
            psp += 1
            built.rows.append(
                f"KB,KBSE,{psp},{code}-{d}-R,visa,{d} 18:00:00,CET,Refunded,,SEK,"
                f"{_money(refund)},,1,SEK,{_money(refund)},,0.00,0.00,0.00,0.00,visadebit,,{ref},{code}"
            )
            net[ref] -= refund
    if plant.fee is not None:
        ref, day, amount = plant.fee
        built.rows.append(
            f"KB,KBSE,,,,{day} 06:00:00,CET,Fee,,SEK,,,1,SEK,{_money(amount)},,,,,,,"
            f"Monthly terminal fee,{ref},"
        )
        net[ref] -= amount
        built.fees[ref] += amount
    _payouts(built, paid_on, net, booked, plant, cutoff)
    _deposits(built, booked, plant, cutoff)
    for (code, d), amount in (swish or {}).items():
        on = booked(d + timedelta(days=1))
        number = (swish_numbers or {}).get(code, "")
        if amount > 0 and (cutoff is None or on <= cutoff):
            tx = Tx(text=f"SWISH {number} DAGSSUMMA {d}")
            built.entries.append(_credit(amount, on, f"SW-{code}-{d}", tx, SWISH_IN))
    return built


def _payouts(
    built: Month,
    paid_on: dict[str, date],
    net: dict[str, Decimal],
    booked: Callable[[date], date],
    plant: Plant,
    cutoff: date | None,
) -> None:
    """Each batch's payout row and the bank's credits for it (none for a missing one)."""
    for n, (ref, day) in enumerate(sorted(paid_on.items()), start=1):
        amount = net[ref]
        built.payouts[ref] = amount
        on = booked(day)
        if cutoff is not None and on > cutoff:
            continue  # not paid yet: the report has the batch's sales, not its payout
        built.rows.append(
            f"KB,KBSE,,,,{day} 06:00:00,CET,MerchantPayout,,SEK,,,1,SEK,{_money(amount)},,"
            f",,,,,TX{n} batch {ref},{ref},"
        )
        if ref in plant.missing:
            continue
        parts = [amount]
        if ref == plant.split:
            parts = [(amount / 2).quantize(CENT), amount - (amount / 2).quantize(CENT)]
        tx = Tx(text=f"ADYEN NV PAYOUT {ref} KBSE", party="Adyen N.V.")
        for k, part in enumerate(parts, start=1):
            built.entries.append(_credit(part, on, f"P{n}-{k}", tx))


def deposit_monday(day: date) -> date:
    """The Monday after day, when a store deposits that day's cash."""
    return day + timedelta(days=7 - day.weekday())


def _deposits(
    built: Month, booked: Callable[[date], date], plant: Plant, cutoff: date | None
) -> None:
    """Each store's Monday deposit of the week before's cash."""
    for code in built.stores:
        weeks: dict[date, list[date]] = {}
        for d in built.days:
            if (code, d) in built.cash:
                weeks.setdefault(deposit_monday(d), []).append(d)
        for monday, covered in sorted(weeks.items()):
            amount = sum((built.cash[(code, d)] for d in covered), Decimal(0))
            amount -= plant.short_cash.get((code, monday), Decimal(0))
            on = booked(monday)
            if cutoff is not None and on > cutoff:
                continue
            tx = Tx(text=f"Insättning dagskassa {code} {covered[-1]}")
            built.entries.append(_credit(amount, on, f"C{code}-{monday}", tx, DEPOSIT))
