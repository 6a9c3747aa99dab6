"""Swish takings added to the clearing tests' month, and the bank's Swish entries for them.

Swish för handel credits the account with no fee. S01's bank books each payment as it comes
(two a day, the same day, weekends too); S02's books one summed entry a day on the next banking
day. Planted: S01 refunds a payment on 14 January (a debit; the day's takings are net), S02's sum
of 20 January lacks 75,00, and a credit carries a Swish number no store has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask import Flask
from sqlmodel import Session

from app.bank.camt_write import Ntry, Tx
from app.bank.demo import Month
from app.companies.models import Company
from tests.clearing.month import build_month, import_files, store_in_books

CENT = Decimal("0.01")
NUMBERS = {"S01": "1231111111", "S02": "1232222222"}
WRITTEN = {"S01": "1231111111", "S02": "123 222 22 22"}  # as each bank writes it
STRANGER = "123 999 99 99"
REFUND_DAY, REFUND = date(2026, 1, 14), Decimal("120.00")
SHORT_DAY, SHORT = date(2026, 1, 20), Decimal("75.00")
PAYMENT = ("PMNT", "RCDT", "DMCT")  # ISO 20022: a domestic credit transfer received


@dataclass
class Swish:
    """The Swish takings per store-day and what the planted differences come to."""

    takings: dict[tuple[str, date], Decimal] = field(default_factory=dict)
    booked: dict[tuple[str, date], date] = field(default_factory=dict)  # S02's sums


def swish_in_books(app: Flask, session: Session, company: Company) -> Swish:
    """January of three stores, two taking Swish, in the books and imported with its statement."""
    built = build_month(stores=3)
    added = add_swish(built)
    store_in_books(session, company, built, added.takings)
    with app.app_context():  # the import announces to its listeners as a request would
        import_files(session, company, built)
    return added


def _next_banking_day(day: date) -> date:
    """The weekday after day that is not 6 January (the month's holiday)."""
    day += timedelta(days=1)
    while day.weekday() >= 5 or day == date(2026, 1, 6):
        day += timedelta(days=1)
    return day


def add_swish(built: Month) -> Swish:
    """Swish takings for the first two stores and their bank entries, appended to built's."""
    swish = Swish()
    for n, code in enumerate(("S01", "S02"), start=1):
        for d in built.days:
            sold = Decimal(15000 + 700 * n + 250 * (d.day % 7)) / 100
            refund = REFUND if (code, d) == ("S01", REFUND_DAY) else Decimal(0)
            swish.takings[(code, d)] = sold - refund
            if code == "S01":
                _per_payment(built, code, d, sold, refund)
            else:
                swish.booked[(code, d)] = _summed(built, code, d, sold)
    built.entries.append(_entry(Decimal("199.00"), date(2026, 1, 22), "SW-X", f"Swish {STRANGER}"))
    return swish


def _entry(
    amount: Decimal, booked: date, ref: str, text: str, party: str = "", debit: bool = False
) -> Ntry:
    """A Swish credit (or a refund's debit) as the bank books it."""
    return Ntry(
        f"{amount}",
        side="DBIT" if debit else "CRDT",
        booked=booked.isoformat(),
        valued=booked.isoformat(),
        servicer_ref=ref,
        code=("PMNT", "ICDT", "DMCT") if debit else PAYMENT,
        txs=[Tx(text=text, party=party)],
    )


def _per_payment(built: Month, code: str, d: date, sold: Decimal, refund: Decimal) -> None:
    """Two payments booked the day they are made, and a refund debited the same day."""
    first = (sold * Decimal("0.4")).quantize(CENT)
    for k, amount in enumerate((first, sold - first), start=1):
        text = f"Swish {WRITTEN[code]} Kund {k}"
        built.entries.append(_entry(amount, d, f"SW-{code}-{d}-{k}", text, f"Kund {k}"))
    if refund:
        text = f"Swish återbetalning {WRITTEN[code]}"
        built.entries.append(_entry(refund, d, f"SW-{code}-{d}-R", text, "Kund 1", debit=True))


def _summed(built: Month, code: str, d: date, sold: Decimal) -> date:
    """The day's payments as one entry on the next banking day (short on the planted day)."""
    booked = _next_banking_day(d)
    amount = sold - (SHORT if d == SHORT_DAY else Decimal(0))
    text = f"SWISH {WRITTEN[code]} DAGSSUMMA {d}"
    built.entries.append(_entry(amount, booked, f"SW-{code}-{d}", text))
    return booked
