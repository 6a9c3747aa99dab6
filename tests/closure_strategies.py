"""Hypothesis strategies for POS closures that pass validate_closure, and mappings to build them."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import strategies as st

CENT = Decimal("0.01")
GROUPS = ("FOOD", "DRINKS", "BOOKS", "MISC")
RATES = ("25", "12", "6", "0")
METHODS = ("CASH", "CARD", "SWISH", "GIFT_CARD", "AMEX")

# The SPEC's BAS default mapping (kassabok.mapping/1).
BAS_MAPPING: dict[str, Any] = {
    "schema": "kassabok.mapping/1",
    "payment_methods": {
        "CASH": "1910",
        "CARD": "1580",
        "SWISH": "1930",
        "GIFT_CARD": "2420",
        "INVOICE": "1510",
    },
    "sales": {"FOOD:12": "3002", "*:25": "3001", "*:12": "3002", "*:6": "3003", "*:0": "3004"},
    "vat": {"25": "2611", "12": "2621", "6": "2631"},
    "other": {
        "TIPS": "2890",
        "GIFT_CARDS_SOLD": "2420",
        "ROUNDING": "3740",
        "CASH_DIFFERENCE": "3990",
    },
    "stores": {"S12": {"name": "Café Centrum", "cost_center": "S12"}},
}
# Everything the strategies can produce has an account; VAT accounts are used for VAT only.
FULL_MAPPING: dict[str, Any] = {
    **BAS_MAPPING,
    "payment_methods": {**BAS_MAPPING["payment_methods"], "AMEX": "1581"},
}
VAT_ACCOUNTS = {rate: account for rate, account in FULL_MAPPING["vat"].items()}


def text(amount: Decimal) -> str:
    """An amount as the closure sends it."""
    return f"{amount:.2f}"


def vat_of(net: Decimal, rate: str) -> Decimal:
    """VAT on net at rate, rounded to öre."""
    return (net * Decimal(rate) / 100).quantize(CENT, ROUND_HALF_UP)


def money(low: str, high: str) -> st.SearchStrategy[Decimal]:
    """Amounts in öre between low and high, inclusive."""
    cents = st.integers(int(Decimal(low) * 100), int(Decimal(high) * 100))
    return cents.map(lambda c: Decimal(c).scaleb(-2).quantize(CENT))


keys = st.tuples(st.sampled_from(GROUPS), st.sampled_from(RATES))
quantities = st.one_of(
    st.integers(1, 50).map(Decimal), st.integers(1, 20000).map(lambda n: Decimal(n) / 1000)
)


@st.composite
def invoice_sales(draw: st.DrawFn, max_sales: int = 2) -> list[dict[str, Any]]:
    """Sales on account with lines whose net is quantity × price, rounded half up."""
    result = []
    for i in range(draw(st.integers(0, max_sales))):
        lines = []
        for _ in range(draw(st.integers(1, 3))):
            (group, rate), quantity = draw(keys), draw(quantities)
            price = draw(money("0.01", "2000"))
            net = (quantity * price).quantize(CENT, ROUND_HALF_UP)
            lines.append(
                {
                    "description": draw(st.sampled_from(["Lunch buffet", "Coffee", "Cake"])),
                    "product_group": group,
                    "vat_rate": rate,
                    "quantity": f"{quantity:f}",
                    "unit_price_net": text(price),
                    "net": text(net),
                    "vat": text(vat_of(net, rate)),
                }
            )
        sale: dict[str, Any] = {
            "reference": f"R1-{104000 + i}",
            "customer_number": draw(st.sampled_from(["1001", "2040", "7"])),
            "lines": lines,
        }
        if draw(st.booleans()):
            sale["customer_name"] = "Konferens AB"
        if draw(st.booleans()):
            sale["tip"] = text(draw(money("0", "200")))
        result.append(sale)
    return result


def _sales_line(group: str, rate: str, net: Decimal, vat: Decimal) -> dict[str, str]:
    return {
        "product_group": group,
        "vat_rate": rate,
        "net": text(net),
        "vat": text(vat),
        "gross": text(net + vat),
    }


@st.composite
def valid_closures(draw: st.DrawFn, with_invoices: bool = True) -> dict[str, Any]:
    """A closure that passes validate_closure: returns, rounding, tips, invoices, cash counts."""
    invoices = draw(invoice_sales()) if with_invoices else []
    sales = []
    for _ in range(draw(st.integers(0, 5))):
        (group, rate), net = draw(keys), draw(money("-500", "5000"))
        sales.append(_sales_line(group, rate, net, vat_of(net, rate)))
    invoiced: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)
    for line in (ln for sale in invoices for ln in sale["lines"]):
        pair = invoiced[line["product_group"], line["vat_rate"]]
        pair[0] += Decimal(line["net"])
        pair[1] += Decimal(line["vat"])
    for (group, rate), (net, vat) in invoiced.items():
        # invoice sales are part of sales: top the key up so it covers them
        free = sum(
            Decimal(s["net"]) for s in sales if (s["product_group"], s["vat_rate"]) == (group, rate)
        )
        extra = draw(money("0", "1000")) + max(Decimal(0), -free)
        sales.append(_sales_line(group, rate, net + extra, vat + vat_of(extra, rate)))
    sales = draw(st.permutations(sales))
    methods = draw(st.lists(st.sampled_from(METHODS), unique=True, max_size=4))
    tips = [
        {"method": m, "amount": text(draw(money("0", "300"))), }
        for m in methods if draw(st.booleans())
    ]  # fmt: skip
    gifts = [
        {"amount": text(draw(money("0", "1000"))), "count": draw(st.integers(0, 3))}
        for _ in range(draw(st.integers(0, 2)))
    ]
    rounding = draw(st.none() | money("-0.49", "0.49"))
    invoice_gross = sum(
        (Decimal(ln["net"]) + Decimal(ln["vat"]) for s in invoices for ln in s["lines"]), Decimal(0)
    )
    invoice_total = invoice_gross + sum((Decimal(s.get("tip", "0")) for s in invoices), Decimal(0))
    rest = (
        sum((Decimal(s["gross"]) for s in sales), Decimal(0))
        - invoice_gross
        + sum((Decimal(x["amount"]) for x in tips + gifts), Decimal(0))
        + (rounding or 0)
    )
    if rest and not methods:
        methods = ["CARD"]
    payments = []
    for i, method in enumerate(methods):
        share = rest if i == len(methods) - 1 else draw(money("0", "3000"))
        rest -= share
        payments.append({"method": method, "amount": text(share)})
    if invoices:
        payments.insert(
            draw(st.integers(0, len(payments))),
            {"method": "INVOICE", "amount": text(invoice_total)},
        )
    closure: dict[str, Any] = {
        "schema": "kassabok.closure/1",
        "closure_id": f"opn-7731:S12:R1:Z{draw(st.integers(1, 99999))}",
        "store_id": draw(st.sampled_from(["S12", "S14", "STORE-Ö"])),
        "register_id": "R1",
        "z_number": draw(st.integers(1, 99999)),
        "business_date": draw(st.dates()).isoformat(),
        "closed_at": "2026-11-24T18:14:03+01:00",
        "currency": "SEK",
        "sales": sales,
        "payments": payments,
    }
    if draw(st.booleans()):
        closure["revision"] = draw(st.integers(1, 3))
    optional = {"tips": tips, "gift_cards_sold": gifts, "invoice_sales": invoices}
    closure.update({k: v for k, v in optional.items() if v or draw(st.booleans())})
    if rounding is not None:
        closure["rounding"] = text(rounding)
    if draw(st.booleans()):
        cash = next((Decimal(p["amount"]) for p in payments if p["method"] == "CASH"), Decimal(0))
        counted = cash + draw(st.sampled_from([Decimal(0), Decimal(0)]) | money("-50", "50"))
        closure["cash_count"] = {"expected": text(cash), "counted": text(counted)}
    return closure


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=30,
)
