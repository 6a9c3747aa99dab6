"""A payout's fee voucher: a pure function of its settlement lines, the mapping and the series."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from app.posting.builder import CENT, DESCRIPTION_MAX, LABEL_MAX, ZERO, Row, VoucherDraft
from app.posting.holds import HoldError, hold_for_code, lookup

FEE_CODE = "other:FEES"  # the mapping's fee account (BAS 6570 Bankkostnader)
FEE_KINDS = ("sale", "refund", "fee")  # a payout row's "fee" is the payout itself, never a fee
_UNSAFE = re.compile(r"[\s\[\]]+")


class Line(Protocol):
    """What the builder reads of a settlement line (app.bank.models.SettlementLine)."""

    kind: str
    payment_method: str
    fee: Decimal | None
    payout_date: date | None
    transaction_date: date | None


@dataclass(frozen=True)
class Payout:
    """One payout's fees per Kassabok payment method, and the day they are booked on."""

    reference: str
    acquirer: str
    day: date
    fees: tuple[tuple[str, Decimal], ...]  # (payment method code, fee total), by method

    @property
    def total(self) -> Decimal:
        """What the acquirer kept of this payout, to the öre."""
        return sum((amount for _method, amount in self.fees), ZERO)


def fee_key(reference: str) -> str:
    """The stable key of a payout's fee voucher, e.g. KB:FEE-412 (no space nor bracket in it)."""
    return f"KB:FEE-{_UNSAFE.sub('_', reference.strip())}"


def method_code(raw: str, methods: Iterable[str]) -> str:
    """The mapping's payment method for an acquirer's word: its own code, Swish, else CARD."""
    word = raw.strip().upper()
    if word in set(methods):
        return word
    return "SWISH" if "SWISH" in word else "CARD"  # card acquirers name brands: visa, mc, amex


def payout_day(lines: Sequence[Line]) -> date | None:
    """The payout date the file gives, else the payout row's date; None while neither is known.

    Sale lines alone name a batch the acquirer has not paid out yet: its fees have no voucher
    until a file tells when the payout is (a sale's own date is never the fee voucher's).
    """
    given = [ln.payout_date for ln in lines if ln.payout_date]
    if given:
        return max(given)
    paid = [ln.transaction_date for ln in lines if ln.kind == "payout" and ln.transaction_date]
    return max(paid) if paid else None


def payout_of(
    reference: str, acquirer: str, lines: Sequence[Line], methods: Iterable[str]
) -> Payout | None:
    """The payout's fees per payment method; None while its lines do not say when it is paid."""
    day = payout_day(lines)
    if day is None:
        return None
    known = list(methods)
    named = Counter(method_code(ln.payment_method, known) for ln in lines if ln.payment_method)
    main = named.most_common(1)[0][0] if named else "CARD"  # a fee row names no method
    fees: dict[str, Decimal] = {}
    for ln in lines:
        if ln.kind in FEE_KINDS and ln.fee:
            code = method_code(ln.payment_method, known) if ln.payment_method else main
            fees[code] = fees.get(code, ZERO) + ln.fee
    rounded = ((code, amount.quantize(CENT, ROUND_HALF_UP)) for code, amount in fees.items())
    return Payout(reference, acquirer, day, tuple(sorted(rounded)))


def describe(payout: Payout, key: str) -> str:
    """Human text naming the acquirer and payout, then the key; only the text is ever cut."""
    tail = f"[{key}]"
    human = f"Fees {payout.acquirer} payout {payout.reference} {payout.day.isoformat()}"
    room = DESCRIPTION_MAX - len(tail) - 1
    return f"{human[:room]} {tail}" if room > 0 else tail


def build_fee_voucher(payout: Payout, mapping: dict[str, Any], series: str) -> VoucherDraft:
    """Debit the fee account, credit each method's clearing account (VAT-free); or HoldError."""
    fee_account = lookup(mapping, FEE_CODE)
    holds = [] if fee_account else [hold_for_code(FEE_CODE)]
    sides: dict[tuple[str, bool], Decimal] = {}  # (account, debit?) -> amount
    for code, amount in payout.fees:
        clearing = lookup(mapping, f"payment:{code}")
        if clearing is None:
            holds.append(hold_for_code(f"payment:{code}"))
        elif fee_account and amount:  # a rebate (negative fee) books the other way round
            sides[fee_account, amount > 0] = sides.get((fee_account, amount > 0), ZERO) + amount
            sides[clearing, amount < 0] = sides.get((clearing, amount < 0), ZERO) + amount
    if holds:
        raise HoldError(holds)
    label = f"Fees payout {payout.reference}"[:LABEL_MAX]
    rows = tuple(
        Row(account, "", abs(amount) if debit else ZERO, ZERO if debit else abs(amount), label)
        for (account, debit), amount in sorted(sides.items(), key=lambda i: (not i[0][1], i[0][0]))
        if amount
    )
    key = fee_key(payout.reference)
    return VoucherDraft(series, payout.day.isoformat(), describe(payout, key), key, rows)
