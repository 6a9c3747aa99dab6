"""The mapping codes a closure needs ("payment:CASH", "sales:FOOD:12"...) and their accounts."""

from __future__ import annotations

import re
from decimal import Decimal

OTHER_CATEGORIES = ("TIPS", "GIFT_CARDS_SOLD", "ROUNDING", "CASH_DIFFERENCE")
_ACCOUNT = re.compile(r"[0-9]{4}")


def lookup(mapping: dict, code: str) -> str | None:
    """The account a mapping code books to ("payment:CASH", "sales:FOOD:12", "vat:12", ...)."""
    kind, _sep, rest = code.partition(":")
    if kind == "sales":
        group, _sep, rate = rest.rpartition(":")
        table = mapping.get("sales") or {}
        account = table.get(f"{group}:{rate}") or table.get(f"*:{rate}")
    else:
        section = {"payment": "payment_methods", "vat": "vat", "other": "other"}.get(kind, "")
        account = (mapping.get(section) or {}).get(rest)
    # An account is 4 digits; anything else is as good as unmapped, never guessed at.
    return account if isinstance(account, str) and _ACCOUNT.fullmatch(account) else None


def _nonzero(*amounts: str) -> bool:
    return any(Decimal(a) != 0 for a in amounts)


def seen_codes(closure: dict) -> list[str]:
    """Every mapping code a closure needs an account for, in order of first appearance."""
    codes = [f"payment:{p['method']}" for p in closure.get("payments", [])]
    lines = [*closure.get("sales", [])]
    lines += [ln for sale in closure.get("invoice_sales", []) for ln in sale["lines"]]
    codes += [f"sales:{ln['product_group']}:{ln['vat_rate']}" for ln in lines]
    codes += [f"vat:{ln['vat_rate']}" for ln in lines if _nonzero(ln["vat"])]
    tips = [t["amount"] for t in closure.get("tips", [])]
    tips += [s.get("tip", "0") for s in closure.get("invoice_sales", [])]
    count = closure.get("cash_count") or {"expected": "0", "counted": "0"}
    needs = {
        "TIPS": _nonzero(*tips),
        "GIFT_CARDS_SOLD": _nonzero(*(g["amount"] for g in closure.get("gift_cards_sold", []))),
        "ROUNDING": _nonzero(closure.get("rounding", "0")),
        "CASH_DIFFERENCE": Decimal(count["counted"]) != Decimal(count["expected"]),
    }
    codes += [f"other:{name}" for name in OTHER_CATEGORIES if needs[name]]
    return list(dict.fromkeys(codes))
