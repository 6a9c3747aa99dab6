"""Per clearing account and month: opening + sales − refunds − fees − payouts = closing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from app.clearing.facts import CASH, ZERO, Day, Payout


@dataclass(frozen=True)
class Finding:
    """A part of the closing balance that should not be there, and the documents behind it."""

    # late, short, payout_missing, payout_late, payout_differs, deposit_short, swish_short
    kind: str
    amount: Decimal
    store: str = ""
    day: date | None = None
    method: str = ""
    reference: str = ""
    closures: tuple[str, ...] = ()
    line_ids: tuple[int, ...] = ()
    entry_ids: tuple[int, ...] = ()
    # A payout's or deposit's store-day-method whose detail shows its cause (it has no own day).
    cause: tuple[str, date, str] | None = None

    @property
    def shown_at(self) -> tuple[str, date, str] | None:
        """The store, day and method of the day detail that shows what the finding is made of."""
        if self.store and self.day and self.method:
            return (self.store, self.day, self.method)
        return self.cause


@dataclass
class RollForward:
    """One clearing account's month, each term with its documents, and what the closing is."""

    account: str
    methods: tuple[str, ...]
    lo: date
    hi: date
    opening: Decimal = ZERO
    sales: Decimal = ZERO
    refunds: Decimal = ZERO
    fees: Decimal = ZERO
    payouts: Decimal = ZERO
    in_transit: Decimal = ZERO
    findings: list[Finding] = field(default_factory=list)
    closures: list[str] = field(default_factory=list)  # the sales' documents
    refund_lines: list[int] = field(default_factory=list)  # the refunds' settlement lines
    fee_lines: list[int] = field(default_factory=list)  # the fees' settlement lines
    entry_ids: list[int] = field(default_factory=list)  # the payouts' documents
    payout_refs: list[str] = field(default_factory=list)

    @property
    def closing(self) -> Decimal:
        """opening + sales − refunds − fees − payouts."""
        return self.opening + self.sales - self.refunds - self.fees - self.payouts

    @property
    def difference(self) -> Decimal:
        """What the findings add up to: the closing less what is in transit."""
        return sum((f.amount for f in self.findings), ZERO)

    @property
    def unexplained(self) -> Decimal:
        """closing − in transit − findings: 0,00 unless matching lost track of something."""
        return self.closing - self.in_transit - self.difference


def _fee_day(p: Payout) -> date | None:
    """When a payout's fees leave the clearing account (the fee voucher's date): its payout date,
    or the day the bank got it; None while the acquirer has not paid it out."""
    return p.pay_date or p.booked_on


def _cause(p: Payout) -> tuple[str, date, str] | None:
    """The store-day a payout's finding is shown on: a deposit's last (which bears its shortfall),
    a payout's first."""
    if not p.days:
        return None
    ordered = sorted(p.days, key=lambda d: (d[1], d[0], d[2]))
    return ordered[-1] if p.kind == "deposit" else ordered[0]


def _balance(days: list[Day], payouts: list[Payout], end: date) -> Decimal:
    """The account's balance at the end of end, from the takings, fees and bank credits."""
    takings = sum((d.takings for d in days if d.day <= end), ZERO)
    fees = sum((p.fees for p in payouts if (_fee_day(p) or date.max) <= end), ZERO)
    paid = sum((p.in_bank for p in payouts if p.how and p.booked_on and p.booked_on <= end), ZERO)
    return takings - fees - paid


def roll_forward(
    account: str, days: list[Day], payouts: list[Payout], lo: date, hi: date
) -> RollForward:
    """The account's month [lo, hi]: days and payouts are the account's, of any date."""
    days = [d for d in days if d.account == account]
    payouts = [p for p in payouts if p.account == account]
    out = RollForward(account, tuple(sorted({d.method for d in days})), lo, hi)
    out.opening = _balance(days, payouts, lo - timedelta(days=1))
    month = [d for d in days if lo <= d.day <= hi]
    out.sales = sum((d.takings + d.refunds for d in month), ZERO)
    out.refunds = sum((d.refunds for d in month), ZERO)
    out.closures = sorted({c for d in month for c in d.closures})
    out.refund_lines = sorted({i for d in month if d.refunds for i in d.line_ids})
    fee_payouts = [p for p in payouts if lo <= (_fee_day(p) or date.max) <= hi]
    out.fees = sum((p.fees for p in fee_payouts), ZERO)
    out.fee_lines = sorted({i for p in fee_payouts if p.fees for i in p.line_ids})
    paid = [p for p in payouts if p.how and p.booked_on and lo <= p.booked_on <= hi]
    out.payouts = sum((p.in_bank for p in paid), ZERO)
    out.entry_ids = sorted({i for p in paid for i in p.entry_ids})
    out.payout_refs = sorted(p.reference for p in paid)
    _explain(out, days, payouts, hi)
    return out


def _explain(out: RollForward, days: list[Day], payouts: list[Payout], end: date) -> None:
    """Split the closing balance into what is in transit at end and the findings.

    A day answers for what the acquirer did not settle of it (short) and, with no payout named,
    for what it settled; a payout for its days' gross less its fees until it is in the bank
    (in transit until due, then missing), and for any difference once it is.
    """
    owed: dict[str, Decimal] = {}
    for d in days:
        if d.day > end:
            for ref, gross in d.portions:
                owed[ref] = owed.get(ref, ZERO) - gross  # paid before its day: counted below
            continue
        docs = {"store": d.store, "day": d.day, "method": d.method, "closures": d.closures}
        docs |= {"line_ids": tuple(d.line_ids), "entry_ids": tuple(d.entry_ids)}
        waiting = d.takings
        if d.portions:
            short = d.takings - sum((g for _r, g in d.portions), ZERO)
            if short and (end > d.due or d.method == CASH):
                out.findings.append(Finding("short", short, **docs))
            else:
                out.in_transit += short
            waiting = sum((g for ref, g in d.portions if not ref), ZERO)
        if waiting and end <= d.due:
            out.in_transit += waiting
        elif waiting:
            out.findings.append(Finding("late", waiting, **docs))
    for p in payouts:
        fee_day = _fee_day(p) or date.max
        extra = owed.get(p.reference, ZERO)
        docs = {"store": p.store, "reference": p.reference, "line_ids": tuple(p.line_ids)}
        docs |= {"cause": _cause(p)}
        if p.how and p.booked_on and p.booked_on <= end:
            differs = p.gross - p.fees - p.in_bank
            if differs and p.kind == "swish":
                # Swish has no acquirer: the finding is the business day's, as a short day is.
                store, day, method = p.days[-1]
                out.findings.append(
                    Finding(
                        "swish_short",
                        differs,
                        store,
                        day,
                        method,
                        p.reference,
                        entry_ids=tuple(p.entry_ids),
                    )
                )
            elif differs:
                kind = "deposit_short" if p.kind == "deposit" else "payout_differs"
                out.findings.append(
                    Finding(kind, differs, day=p.booked_on, entry_ids=tuple(p.entry_ids), **docs)
                )
            out.in_transit += extra + (p.fees if fee_day > end else ZERO)
            continue
        waiting = p.gross + extra - (p.fees if fee_day <= end else ZERO)
        if waiting and end <= (p.due or date.max):
            out.in_transit += waiting
        elif waiting:
            # Without a payout date the acquirer has not paid it out: late, not missing in the bank.
            kind = "payout_missing" if p.pay_date else "payout_late"
            out.findings.append(Finding(kind, waiting, day=p.pay_date, **docs))
