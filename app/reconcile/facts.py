"""What the compare engine works on: plain, frozen facts about closures and Fortnox's documents."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.posting.builder import VoucherDraft

ZERO = Decimal("0.00")
KEY = re.compile(r"\[(KB:[^\]\s]+)\]")
Ref = tuple[str, int, int]  # series, number, financial year id

# The statuses of SPEC "Reconciliation", worst first: a cell shows the worst of its closures.
STATUSES = (
    "missing",
    "duplicate",
    "mismatch",
    "failed",
    "held",
    "superseded",
    "pending",
    "reviewed",  # a mismatch an accountant reviewed: counted apart, needs no one (counts.py)
    "matched",
)
SEVERITY = {status: rank for rank, status in enumerate(STATUSES)}
# Where a closure's own state already decides its status.
STATE_STATUS = {
    "received": "pending",
    "queued": "pending",
    "posting": "pending",
    "awaiting_approval": "pending",
    "held": "held",
    "failed": "failed",
    "superseded": "superseded",
}
# Vouchers Fortnox makes by itself from invoices and payments: not the POS's business.
AUTOMATIC = {"INVOICE", "SUPPLIERINVOICE", "INVOICEPAYMENT", "SUPPLIERPAYMENT", "CASHINVOICE"}


def worst(statuses: Iterable[str]) -> str | None:
    """The most serious of some statuses (None when there are none)."""
    found = sorted(statuses, key=lambda s: SEVERITY.get(s, 0))
    return found[0] if found else None


def key_of(description: str | None) -> str | None:
    """The Kassabok key a voucher description carries, if any."""
    match = KEY.search(description or "")
    return match.group(1) if match else None


@dataclass(frozen=True)
class FxRow:
    """One row of a voucher as Fortnox holds it."""

    account: str
    cost_center: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class FxVoucher:
    """A voucher as Fortnox holds it."""

    series: str
    number: int
    year: int
    date: date
    description: str = ""
    reference_type: str = "MANUAL"
    rows: tuple[FxRow, ...] = ()

    @property
    def ref(self) -> Ref:
        """Series, number and financial year."""
        return (self.series, self.number, self.year)

    @property
    def key(self) -> str | None:
        """The Kassabok key in the description, if Kassabok made it."""
        return key_of(self.description)

    @property
    def label(self) -> str:
        """How Fortnox names it, e.g. A 12."""
        return f"{self.series} {self.number}"


@dataclass(frozen=True)
class FxDocument:
    """An invoice or order as Fortnox holds it; rows are (account, vat, total)."""

    kind: str
    number: str
    key: str
    total: Decimal = ZERO
    vat: Decimal = ZERO
    round_off: Decimal = ZERO
    cancelled: bool = False
    invoice_reference: str = ""
    rows: tuple[tuple[str, int, Decimal], ...] | None = None


@dataclass(frozen=True)
class ExpectedDocument:
    """An invoice or order a closure should have made."""

    kind: str
    reference: str
    key: str
    total: Decimal
    vat: Decimal
    tip: Decimal = ZERO
    tips_account: str = ""
    number: str | None = None


@dataclass(frozen=True)
class ClosureFacts:
    """One closure revision and what it should have booked (expected None: cannot be built)."""

    pk: int
    closure_id: str
    store_code: str
    cost_center: str
    business_date: date
    state: str
    revision: int = 1
    hold_code: str = ""
    reason: str = ""
    nothing_to_book: bool = False
    voucher: Ref | None = None
    expected: VoucherDraft | None = None
    expected_error: str = ""
    documents: tuple[ExpectedDocument, ...] = ()
    correction_due: bool = False
    pos: dict = field(default_factory=dict, compare=False)  # POS totals, for the panel


@dataclass
class Book:
    """Fortnox's documents indexed the ways the compare engine looks things up."""

    vouchers: list[FxVoucher] = field(default_factory=list)
    documents: list[FxDocument] = field(default_factory=list)
    missing: set[Ref] = field(default_factory=set)
    missing_documents: set[tuple[str, str]] = field(default_factory=set)
    by_ref: dict[Ref, FxVoucher] = field(init=False)
    by_key: dict[str, list[FxVoucher]] = field(init=False)
    by_date: dict[date, list[FxVoucher]] = field(init=False)
    docs_by_key: dict[str, list[FxDocument]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_ref = {v.ref: v for v in self.vouchers}
        self.by_key = defaultdict(list)
        self.by_date = defaultdict(list)
        for voucher in self.vouchers:
            self.by_date[voucher.date].append(voucher)
            if voucher.key:
                self.by_key[voucher.key].append(voucher)
        self.docs_by_key = defaultdict(list)
        for doc in self.documents:
            self.docs_by_key[doc.key].append(doc)

    def foreign_on(self, day: date) -> list[FxVoucher]:
        """Vouchers of day that Kassabok did not make (manual entries, SIE imports)."""
        return [
            v
            for v in self.by_date.get(day, [])
            if v.key is None and v.reference_type not in AUTOMATIC
        ]

    def booked_on(self, day: date, cost_center: str) -> list[FxVoucher]:
        """Every non-automatic voucher of day with a row on cost_center."""
        return [
            v
            for v in self.by_date.get(day, [])
            if v.reference_type not in AUTOMATIC
            and any(r.cost_center == cost_center for r in v.rows)
        ]
