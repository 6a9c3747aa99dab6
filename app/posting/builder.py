"""The voucher for one closure revision: a pure function of closure, mapping and settings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.mapping.codes import lookup
from app.posting.holds import (
    Hold,
    HoldError,
    hold_for_code,
    make_hold,
    unmapped_codes,
)
from app.posting.row_texts import OUTPUT_VAT, PAYMENT, SALES

__all__ = [
    "BuildSettings",
    "Hold",
    "HoldError",
    "Row",
    "UnbalancedVoucher",
    "VoucherDraft",
    "build_voucher",
    "closure_key",
    "invoice_holds",
    "unmapped_codes",
]

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DEBIT, CREDIT = "debit", "credit"
DESCRIPTION_MAX = 200
LABEL_MAX = 100
_OTHER_SIDE = {DEBIT: CREDIT, CREDIT: DEBIT}


def _(text: str) -> str:
    """Mark a user-visible string for translation (the voucher keeps its English words)."""
    return text


@dataclass(frozen=True)
class BuildSettings:
    """The company settings that shape what a closure books."""

    series: str = "A"
    invoice: bool = False
    tip_on_invoice: bool = False
    use_order: bool = False


@dataclass(frozen=True)
class Row:
    """One voucher row; exactly one of debit and credit is non-zero."""

    account: str
    cost_center: str
    debit: Decimal
    credit: Decimal
    label: str


@dataclass(frozen=True)
class VoucherDraft:
    """A voucher ready to send to Fortnox, or empty when the closure books nothing."""

    series: str
    transaction_date: str
    description: str
    key: str
    rows: tuple[Row, ...]

    @property
    def total_debit(self) -> Decimal:
        """Sum of the debit side."""
        return sum((r.debit for r in self.rows), ZERO)

    @property
    def total_credit(self) -> Decimal:
        """Sum of the credit side."""
        return sum((r.credit for r in self.rows), ZERO)

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to post."""
        return not self.rows

    def to_fortnox(self) -> dict:
        """The body of POST /3/vouchers; amounts stay Decimal: the client sends them as numbers."""
        rows = []
        for row in self.rows:
            item: dict = {"Account": int(row.account)}
            if row.cost_center:
                item["CostCenter"] = row.cost_center
            item |= {"Debit": row.debit, "Credit": row.credit, "TransactionInformation": row.label}
            rows.append(item)
        head = {"Description": self.description, "TransactionDate": self.transaction_date}
        return {"Voucher": {**head, "VoucherSeries": self.series, "VoucherRows": rows}}


class UnbalancedVoucher(Exception):
    """The rows do not balance to the öre; such a voucher is never sent."""

    def __init__(self, debit: Decimal, credit: Decimal) -> None:
        self.debit, self.credit = debit, credit
        super().__init__(f"voucher does not balance: debit {debit} != credit {credit}")


def closure_key(closure: dict) -> str:
    """The stable key of a closure revision, e.g. KB:S12-Z457-r1."""
    revision = closure.get("revision", 1)
    return f"KB:{closure['store_id']}-Z{closure['z_number']}-r{revision}"


def describe(closure: dict, key: str) -> str:
    """Human text plus key, cut to fit Fortnox; only the human part is ever shortened."""
    tail = f"[{key}]"
    human = f"Z{closure['z_number']} {closure['store_id']} {closure['business_date']}"
    room = DESCRIPTION_MAX - len(tail) - 1
    return f"{human[:room]} {tail}" if room > 0 else tail


def _dec(value: str | None) -> Decimal:
    return Decimal(value or "0")


def _categories(closure: dict, settings: BuildSettings) -> dict[str, tuple[str, Decimal, str]]:
    """Signed total per booking category (mapping code), its natural side and label, in order."""
    cats: dict[str, tuple[str, Decimal, str]] = {}

    def add(code: str, side: str, amount: Decimal, label: str) -> None:
        total = cats[code][1] if code in cats else ZERO
        cats[code] = (side, total + amount, label)

    count = closure.get("cash_count")
    invoice_sales = closure.get("invoice_sales", [])
    for payment in closure["payments"]:
        method, amount = payment["method"], _dec(payment["amount"])
        if settings.invoice and method == "INVOICE":
            continue  # the Fortnox invoice books the receivable
        if method == "CASH" and count:
            amount = _dec(count["counted"])
        add(f"payment:{method}", DEBIT, amount, PAYMENT.format(method))
    if count and "payment:CASH" not in cats:
        add("payment:CASH", DEBIT, _dec(count["counted"]), PAYMENT.format("CASH"))
    invoiced = [ln for s in invoice_sales for ln in s["lines"]] if settings.invoice else []
    for sign, lines in ((1, closure["sales"]), (-1, invoiced)):
        for ln in lines:
            label = SALES.format(ln["product_group"], ln["vat_rate"])
            code = f"sales:{ln['product_group']}:{ln['vat_rate']}"
            add(code, CREDIT, sign * _dec(ln["net"]), label)
    for sign, lines in ((1, closure["sales"]), (-1, invoiced)):
        for ln in lines:
            label = OUTPUT_VAT.format(ln["vat_rate"])
            add(f"vat:{ln['vat_rate']}", CREDIT, sign * _dec(ln["vat"]), label)
    tips = sum((_dec(t["amount"]) for t in closure.get("tips", [])), ZERO)
    if not settings.invoice:
        tips += sum((_dec(s.get("tip")) for s in invoice_sales), ZERO)
    add("other:TIPS", CREDIT, tips, _("Tips"))
    sold = sum((_dec(g["amount"]) for g in closure.get("gift_cards_sold", [])), ZERO)
    add("other:GIFT_CARDS_SOLD", CREDIT, sold, _("Gift cards sold"))
    add("other:ROUNDING", CREDIT, _dec(closure.get("rounding")), _("Rounding"))
    if count:
        difference = _dec(count["counted"]) - _dec(count["expected"])
        add("other:CASH_DIFFERENCE", CREDIT, difference, _("Cash difference"))
    return cats


def invoice_holds(closure: dict, mapping: dict, settings: BuildSettings) -> list[Hold]:
    """What stops the closure's invoices (or orders) from being built, when Invoice is on."""
    if not settings.invoice:
        return []
    holds: list[Hold] = []
    codes: list[str] = []
    for sale in closure.get("invoice_sales", []):
        tip = _dec(sale.get("tip"))
        if tip and not settings.tip_on_invoice:
            detail = {"reference": sale["reference"], "tip": f"{tip:.2f}"}
            holds.append(make_hold("tip_on_invoice_not_allowed", **detail))
        codes += [f"sales:{ln['product_group']}:{ln['vat_rate']}" for ln in sale["lines"]]
        if tip and settings.tip_on_invoice:
            codes.append("other:TIPS")
    return holds + [hold_for_code(c) for c in dict.fromkeys(codes) if lookup(mapping, c) is None]


def build_voucher(
    closure: dict, mapping: dict, settings: BuildSettings, cost_center: str
) -> VoucherDraft:
    """The voucher a valid closure books, or HoldError listing everything that stops it."""
    merged: dict[tuple[str, str], tuple[Decimal, list[str]]] = {}
    holds: list[Hold] = []
    for code, (side, amount, label) in _categories(closure, settings).items():
        amount = amount.quantize(CENT, ROUND_HALF_UP)
        if amount == 0:
            continue
        account = lookup(mapping, code)
        if account is None:
            holds.append(hold_for_code(code))
            continue
        if amount < 0:  # e.g. a day of net returns: the category changes side
            side, amount = _OTHER_SIDE[side], -amount
        total, labels = merged.get((account, side), (ZERO, []))
        merged[account, side] = (total + amount, [*labels, label])
    holds += [h for h in invoice_holds(closure, mapping, settings) if h not in holds]
    if holds:
        raise HoldError(holds)
    ordered = sorted(merged.items(), key=lambda item: item[0][1] != DEBIT)
    rows = tuple(
        Row(
            account=account,
            cost_center=cost_center,
            debit=amount if side == DEBIT else ZERO,
            credit=amount if side == CREDIT else ZERO,
            label=", ".join(dict.fromkeys(labels))[:LABEL_MAX],
        )
        for (account, side), (amount, labels) in ordered
    )
    key = closure_key(closure)
    draft = VoucherDraft(
        settings.series, closure["business_date"], describe(closure, key), key, rows
    )
    if draft.total_debit != draft.total_credit:
        raise UnbalancedVoucher(draft.total_debit, draft.total_credit)
    return draft
