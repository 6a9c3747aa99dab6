"""The closure's own arithmetic: the balance rules of the schema's description."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from app.closures.problems import Problem, _, pointer

CENT = Decimal("0.01")


def _total(items: list[dict], field: str = "amount") -> Decimal:
    return sum((Decimal(item.get(field, "0")) for item in items), Decimal(0))


def balance_problems(closure: dict) -> list[Problem]:
    """The closure's own arithmetic, checked on a payload that already passed the schema."""
    problems: list[Problem] = []
    add = problems.append
    sales, payments = closure["sales"], closure["payments"]
    tips, invoices = closure.get("tips", []), closure.get("invoice_sales", [])
    for i, line in enumerate(sales):
        if Decimal(line["net"]) + Decimal(line["vat"]) != Decimal(line["gross"]):
            total = Decimal(line["net"]) + Decimal(line["vat"])
            msg = _("gross {0} is not net + vat ({1}); send gross = net + vat for the line.")
            add(Problem(pointer("sales", i, "gross"), msg.format(line["gross"], total)))
    methods: dict[str, int] = {}
    for i, payment in enumerate(payments):
        if payment["method"] in methods:
            msg = _("Payment method {0} appears twice; send one line per method with its total.")
            add(Problem(pointer("payments", i, "method"), msg.format(payment["method"])))
        methods.setdefault(payment["method"], i)
    for i, tip in enumerate(tips):
        if tip["method"] not in methods:
            msg = _(
                "Tip paid with {0}, but there is no {0} payment; tips are part of their "
                "method's payment, so add that payment line or correct the method."
            )
            add(Problem(pointer("tips", i, "method"), msg.format(tip["method"])))
    references: set[str] = set()
    sales_net: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in sales:
        sales_net[line["product_group"], line["vat_rate"]] += Decimal(line["net"])
    invoiced: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    first_line: dict[tuple[str, str], tuple[int, int]] = {}
    invoice_total = Decimal(0)
    for i, sale in enumerate(invoices):
        if sale["reference"] in references:
            msg = _("Reference {0} is used by another invoice sale; references must be unique.")
            add(Problem(pointer("invoice_sales", i, "reference"), msg.format(sale["reference"])))
        references.add(sale["reference"])
        invoice_total += Decimal(sale.get("tip", "0"))
        for j, line in enumerate(sale["lines"]):
            net, key = Decimal(line["net"]), (line["product_group"], line["vat_rate"])
            want = (Decimal(line["quantity"]) * Decimal(line["unit_price_net"])).quantize(
                CENT, ROUND_HALF_UP
            )
            if net != want:
                msg = _(
                    "net {0} is not quantity × unit_price_net rounded to öre ({1}); "
                    "send net = {1} or correct quantity or unit price."
                )
                add(Problem(pointer("invoice_sales", i, "lines", j, "net"), msg.format(net, want)))
            invoiced[key] += net
            first_line.setdefault(key, (i, j))
            invoice_total += net + Decimal(line["vat"])
    for key, net in invoiced.items():
        have = sales_net.get(key, Decimal(0))
        if (net > 0 and have < net) or (net < 0 and have > net):
            msg = _(
                "Invoice lines for {0} at {1} % total net {2}, more than the sales lines' "
                "{3}; invoice sales are part of sales, so include them in the sales line."
            )
            where = pointer("invoice_sales", first_line[key][0], "lines", first_line[key][1])
            add(Problem(where, msg.format(key[0], key[1], net, have)))
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for payment in payments:
        paid[payment["method"]] += Decimal(payment["amount"])
    if invoices and "INVOICE" not in methods:
        msg = _("There are invoice sales but no INVOICE payment; add an INVOICE payment of {0}.")
        add(Problem(pointer("payments"), msg.format(invoice_total)))
    elif "INVOICE" in methods and not invoices:
        msg = _(
            "There is an INVOICE payment but no invoice_sales; itemise the sales on account "
            "in invoice_sales, or pay them with another method."
        )
        add(Problem(pointer("payments", methods["INVOICE"]), msg))
    elif invoices and paid["INVOICE"] != invoice_total:
        msg = _(
            "The INVOICE payment {0} is not the invoice sales' total {1} (lines' net + vat "
            "plus tips); send an INVOICE payment of {1}."
        )
        where = pointer("payments", methods["INVOICE"], "amount")
        add(Problem(where, msg.format(paid["INVOICE"], invoice_total)))
    owed = (
        _total(sales, "gross")
        + _total(closure.get("gift_cards_sold", []))
        + _total(tips)
        + _total(invoices, "tip")
        + Decimal(closure.get("rounding", "0"))
    )
    if owed != sum(paid.values(), Decimal(0)):
        msg = _(
            "Payments total {0}, but sales gross + gift cards sold + tips + invoice tips + "
            "rounding come to {1}; the day must balance, so correct the lines that differ."
        )
        add(Problem(pointer("payments"), msg.format(sum(paid.values(), Decimal(0)), owed)))
    count = closure.get("cash_count")
    if count and Decimal(count["expected"]) != paid.get("CASH", Decimal(0)):
        msg = _("cash_count.expected {0} is not the CASH payment {1}; send expected = {1}.")
        where = pointer("cash_count", "expected")
        add(Problem(where, msg.format(count["expected"], paid.get("CASH", Decimal(0)))))
    return problems
