"""VAT that ties out: per rate, what the tills reported against what Fortnox's VAT accounts hold.

Pure: plain facts in, the tie-out out. Per VAT rate of one month:
- tills: the output VAT of the month's closures (the newest revision of each);
- Kassabok's vouchers and invoices: the VAT they hold in Fortnox (the rate's VAT account on a
  voucher, the invoice's VAT at the rate);
- others: VAT on the same account booked by anything else (another series, a hand entry, an
  invoice Kassabok did not make, the month's VAT settlement);
- difference = Kassabok's + others − tills, with the documents that make it up: each closure
  whose documents in Fortnox hold other VAT than its till (not posted yet, held, corrected, booked
  differently), each other voucher, each Kassabok document of no closure of the month.
A voucher that books sales at a rate is flagged when its VAT is more than one percentage point
off that rate's share of those sales (as Fortnox's VAT deviation report does).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")
RATES = ("25", "12", "6")  # the rates with output VAT (0 % books none)
INVOICING = {"INVOICE", "CASHINVOICE"}  # Fortnox's own vouchers booking an invoice


@dataclass(frozen=True)
class Accounts:
    """Which account holds each rate's output VAT, and which rate each sales account is for."""

    vat: dict[str, str]
    sales: dict[str, str]

    def rate_of_vat(self, account: str) -> str | None:
        """The rate whose output VAT account this is, if any."""
        return next((rate for rate, acct in self.vat.items() if acct == account), None)


@dataclass(frozen=True)
class Till:
    """One closure of the month (its newest revision) and the keys its documents carry."""

    label: str
    day: date
    state: str
    vat: dict[str, Decimal]
    keys: frozenset[str]


@dataclass(frozen=True)
class Voucher:
    """A voucher of the month as Fortnox holds it; rows are (account, debit, credit)."""

    label: str
    day: date
    description: str
    key: str | None
    reference_type: str
    reference_number: str
    rows: tuple[tuple[str, Decimal, Decimal], ...]

    def net(self, accounts: set[str]) -> Decimal:
        """Credit minus debit on the accounts (output VAT and sales are credits)."""
        return sum((c - d for a, d, c in self.rows if a in accounts), ZERO)


@dataclass(frozen=True)
class Invoice:
    """An invoice Kassabok made, as Fortnox holds it, with its VAT per rate."""

    number: str
    day: date
    key: str
    vat: dict[str, Decimal]
    cancelled: bool = False


@dataclass(frozen=True)
class Document:
    """A document that makes up part of a rate's difference, and by how much."""

    rate: str
    kind: str  # closure, other, orphan
    label: str
    day: date
    amount: Decimal
    why: str  # closure: its state (posted = booked with other VAT); other/orphan: description


@dataclass(frozen=True)
class Deviation:
    """A voucher whose VAT is more than one percentage point off its rate's share of its sales."""

    label: str
    day: date
    rate: str
    sales: Decimal
    vat: Decimal
    kassabok: bool

    @property
    def effective(self) -> Decimal | None:
        """The VAT as a percentage of the sales, to two decimals (None without sales)."""
        return (self.vat * 100 / self.sales).quantize(Decimal("0.01")) if self.sales else None


@dataclass
class RateLine:
    """One rate's tie-out."""

    rate: str
    account: str
    tills: Decimal = ZERO
    vouchers: Decimal = ZERO
    invoices: Decimal = ZERO
    others: Decimal = ZERO

    @property
    def booked(self) -> Decimal:
        """Everything on the rate's VAT account (and Kassabok's invoices at the rate)."""
        return self.vouchers + self.invoices + self.others

    @property
    def difference(self) -> Decimal:
        """Booked minus what the tills reported."""
        return self.booked - self.tills


@dataclass
class TieOut:
    """A month's VAT tie-out: per rate, the documents behind the difference, the deviations."""

    lines: list[RateLine]
    documents: list[Document] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)

    def explained(self, rate: str) -> Decimal:
        """The sum of the documents listed for a rate (equal to its difference)."""
        return sum((d.amount for d in self.documents if d.rate == rate), ZERO)


def invoice_vat(rows: list[tuple[str, int, Decimal]], total_vat: Decimal) -> dict[str, Decimal]:
    """An invoice's VAT per rate: all of it where one rate has VAT, else row by row to the öre."""
    rates = sorted({str(vat) for _a, vat, _t in rows if vat})
    if len(rates) <= 1:
        return {rates[0]: total_vat} if rates else {}
    out: dict[str, Decimal] = defaultdict(Decimal)
    for _account, vat, total in rows:
        if vat:
            out[str(vat)] += (total * vat / 100).quantize(Decimal("0.01"))
    return dict(out)


class _Owners:
    """Kassabok's documents counted for the closure whose key they carry."""

    def __init__(self, tills: list[Till], result: TieOut) -> None:
        self.by_key = {key: till for till in tills for key in till.keys}
        self.found: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        self.result = result

    def count(self, key: str, rate: str, vat: Decimal, label: str, day: date) -> None:
        """Count a document's VAT for its closure; list it when no closure of the month owns it."""
        till = self.by_key.get(key)
        if till is None:
            self.result.documents.append(Document(rate, "orphan", label, day, vat, key))
        else:
            self.found[id(till)][rate] += vat

    def differences(self, tills: list[Till], rates: list[str]) -> None:
        """List each closure whose documents hold other VAT than its till reported."""
        for till in tills:
            got = self.found.get(id(till), {})
            for rate in rates:
                gap = got.get(rate, ZERO) - till.vat.get(rate, ZERO)
                if gap:
                    doc = Document(rate, "closure", till.label, till.day, gap, till.state)
                    self.result.documents.append(doc)


def tie_out(
    accounts: Accounts, tills: list[Till], vouchers: list[Voucher], invoices: list[Invoice]
) -> TieOut:
    """The month's tie-out from its closures and what Fortnox holds."""
    result = TieOut([RateLine(r, accounts.vat[r]) for r in RATES if r in accounts.vat])
    lines = {line.rate: line for line in result.lines}
    owners = _Owners(tills, result)
    ours = {invoice.number for invoice in invoices}
    for till in tills:
        for rate, amount in till.vat.items():
            if rate in lines:
                lines[rate].tills += amount
    for voucher in vouchers:
        if voucher.reference_type in INVOICING and voucher.reference_number in ours:
            continue  # Fortnox's booking of Kassabok's invoice: counted as the invoice
        for rate, line in lines.items():
            vat = voucher.net({line.account})
            if vat and voucher.key is None:
                line.others += vat
                doc = Document(rate, "other", voucher.label, voucher.day, vat, voucher.description)
                result.documents.append(doc)
            elif vat:
                line.vouchers += vat
                owners.count(voucher.key or "", rate, vat, voucher.label, voucher.day)
        result.deviations += deviations(accounts, voucher)
    for invoice in invoices:
        for rate, vat in ({} if invoice.cancelled else invoice.vat).items():
            if rate in lines and vat:
                lines[rate].invoices += vat
                owners.count(invoice.key, rate, vat, f"#{invoice.number}", invoice.day)
    owners.differences(tills, list(lines))
    result.documents.sort(key=lambda d: (RATES.index(d.rate), d.day, d.kind, d.label))
    return result


def deviations(accounts: Accounts, voucher: Voucher) -> list[Deviation]:
    """The rates at which a voucher booking sales holds VAT more than 1 point off their share."""
    if not any(account in accounts.sales for account, _d, _c in voucher.rows):
        return []  # no sales booked (a VAT settlement, a payment): nothing to compare with
    out = []
    for rate, vat_account in accounts.vat.items():
        sales_accounts = {a for a, r in accounts.sales.items() if r == rate}
        sales, vat = voucher.net(sales_accounts), voucher.net({vat_account})
        # |vat / sales - rate / 100| > 1 / 100, without dividing: exact to the öre.
        if (sales or vat) and (not sales or abs(vat * 100 - sales * Decimal(rate)) > abs(sales)):
            out.append(
                Deviation(voucher.label, voucher.day, rate, sales, vat, voucher.key is not None)
            )
    return out
