"""What matching reads and writes, as plain values: no database, no Flask."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal("0.00")
CASH = "CASH"
SWISH = "SWISH"
_TOKEN = re.compile(r"[0-9A-ZÅÄÖ][0-9A-ZÅÄÖ_\-/]*")


def tokens(*texts: str | None) -> frozenset[str]:
    """The words of texts, upper case, split on anything but letters, digits and - _ /."""
    words: set[str] = set()
    for text in texts:
        if text:
            upper = text.upper()
            words.add(upper.strip())
            found = _TOKEN.findall(upper)
            words.update(found)
            words.update(part for word in found for part in re.split(r"[\-_/]", word) if part)
    return frozenset(words)


class DayStatus(StrEnum):
    """Where one store's takings of one day and payment method stand against the bank."""

    SETTLED = "settled"  # the acquirer settled it all and the payout is in the bank
    IN_TRANSIT = "in_transit"  # not in the bank yet, within the banking days allowed
    LATE = "late"  # not in the bank after the banking days allowed
    SHORT = "short"  # what reached the bank (or the acquirer settled) differs from the takings


@dataclass(frozen=True)
class Taking:
    """One store's takings of one day and payment method, as the posted closures booked them."""

    store: str
    day: date
    method: str
    account: str
    amount: Decimal
    closures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    """One settlement line in Kassabok's codes (store and payment method read through aliases)."""

    id: int
    store: str
    day: date | None
    method: str
    kind: str  # sale, refund, fee, payout, other
    gross: Decimal
    fee: Decimal | None
    net: Decimal | None
    payout: str
    payout_date: date | None
    account: str = ""


@dataclass(frozen=True)
class Entry:
    """One credit or debit on the bank account, with the words it can be matched by."""

    id: int
    booked: date
    amount: Decimal  # signed: + money in
    words: frozenset[str]
    deposit: bool = False  # the bank calls it a cash deposit (CNTR/CDPT) or its text does


@dataclass(frozen=True)
class Decision:
    """An accountant's match or unmatch of a bank entry."""

    entry_id: int
    action: str  # match, unmatch
    kind: str = ""  # payout, deposit
    reference: str = ""  # payout reference, or the store code of a deposit


@dataclass
class Payout:
    """Settlement lines sharing a payout reference (or a cash deposit) and what reached the bank."""

    kind: str
    reference: str
    account: str
    pay_date: date | None
    gross: Decimal = ZERO
    fees: Decimal = ZERO
    amount: Decimal = ZERO
    in_bank: Decimal = ZERO
    booked_on: date | None = None
    how: str = ""
    store: str = ""
    due: date | None = None  # its days' latest due day: missing after it
    entry_ids: list[int] = field(default_factory=list)
    line_ids: list[int] = field(default_factory=list)
    days: list[tuple[str, date, str]] = field(default_factory=list)
    sold_until: date | None = None  # its lines' last day: the bank's window while unpaid

    @property
    def difference(self) -> Decimal:
        """What the bank got less than expected (0 when not in the bank yet)."""
        return self.amount - self.in_bank if self.how else ZERO


@dataclass
class Day:
    """What became of one Taking: its settlement, its payouts and its status."""

    store: str
    day: date
    method: str
    account: str
    takings: Decimal
    due: date
    settled: Decimal = ZERO
    refunds: Decimal = ZERO
    fees: Decimal = ZERO
    in_bank: Decimal = ZERO
    status: str = ""
    difference: Decimal = ZERO
    closures: tuple[str, ...] = ()
    line_ids: list[int] = field(default_factory=list)
    # (payout reference, gross) of each part of the day: a card payout, or a cash deposit.
    portions: list[tuple[str, Decimal]] = field(default_factory=list)
    entry_ids: list[int] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, date, str]:
        """Store, day and payment method."""
        return (self.store, self.day, self.method)


@dataclass
class Outcome:
    """Everything matching found: days, payouts, and the bank credits nothing explains."""

    days: list[Day]
    payouts: list[Payout]
    unmatched: list[Entry]
