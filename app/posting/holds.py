"""Why a closure cannot post yet: a code and its details, translated where shown (texts.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.posting.reasons import Reason, say

OTHER_CATEGORIES = ("TIPS", "GIFT_CARDS_SOLD", "ROUNDING", "CASH_DIFFERENCE")
_ACCOUNT = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Hold:
    """One reason a closure cannot post, with what to do about it."""

    code: str
    message: str
    fix: str
    detail: dict = field(default_factory=dict)
    texts: str = ""  # the texts that say it, when not the code's own

    def reason(self) -> Reason:
        """The stored form: code and details, translated where shown."""
        return Reason(self.code, dict(self.detail), self.texts)


class HoldError(Exception):
    """Raised by the builders when a closure must go on hold instead of posting."""

    def __init__(self, holds: list[Hold]) -> None:
        self.holds = list(holds)
        super().__init__("; ".join(h.message for h in self.holds))


def make_hold(code: str, **detail: object) -> Hold:
    """A hold of a known code, its English filled from detail (lists and dicts kept as they are)."""
    kept = {k: v if isinstance(v, dict | list) else str(v) for k, v in detail.items()}
    said = say(Reason(code, kept), _english)
    return Hold(code, said.message, said.fix, kept)


def _english(text: str) -> str:
    return text


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


def hold_for_code(code: str) -> Hold:
    """The hold for a mapping code that has no account."""
    kind, _sep, rest = code.partition(":")
    if kind == "payment":
        return make_hold("unmapped_payment_method", method=rest)
    if kind == "sales":
        group, _sep, rate = rest.rpartition(":")
        return make_hold("unmapped_sales", group=group, rate=rate)
    if kind == "vat":
        return make_hold("unmapped_vat", rate=rest)
    return make_hold("unmapped_other", category=rest)


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


def unmapped_codes(closure: dict, mapping: dict) -> set[str]:
    """Codes seen in a closure with no account in the mapping, e.g. "payment:AMEX"."""
    return {code for code in seen_codes(closure) if lookup(mapping, code) is None}


def check_cash_difference(closure: dict, threshold: Decimal, has_note: bool) -> Hold | None:
    """A hold when counted cash is off by more than threshold and no note says why."""
    count = closure.get("cash_count")
    if not count or has_note:
        return None
    difference = Decimal(count["counted"]) - Decimal(count["expected"])
    if abs(difference) <= threshold:
        return None
    return make_hold(
        "cash_difference_over_threshold",
        difference=f"{difference:.2f}",
        threshold=f"{threshold:.2f}",
    )
