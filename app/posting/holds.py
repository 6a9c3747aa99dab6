"""Why a closure cannot post yet: a code the UI can translate, a plain reason and the fix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

OTHER_CATEGORIES = ("TIPS", "GIFT_CARDS_SOLD", "ROUNDING", "CASH_DIFFERENCE")
_ACCOUNT = re.compile(r"[0-9]{4}")


def _(text: str) -> str:
    """Mark a user-visible string for translation (identity until a catalogue exists)."""
    return text


# code -> (message, fix); placeholders come from the hold's detail.
_TEXTS: dict[str, tuple[str, str]] = {
    "unmapped_payment_method": (
        _("Payment method {method} has no account in the mapping."),
        _("Map payment method {method} to an account on the mapping page, then retry."),
    ),
    "unmapped_sales": (
        _("Sales of product group {group} at {rate} % VAT have no account in the mapping."),
        _("Map {group}:{rate} (or the fallback *:{rate}) to a sales account, then retry."),
    ),
    "unmapped_vat": (
        _("Output VAT at {rate} % has no account in the mapping."),
        _("Map VAT {rate} % to an output VAT account (BAS: 2611, 2621, 2631), then retry."),
    ),
    "unmapped_other": (
        _("The category {category} has no account in the mapping."),
        _("Map {category} to an account on the mapping page, then retry."),
    ),
    "tip_on_invoice_not_allowed": (
        _("Invoice sale {reference} carries a tip of {tip}, but tips on invoices are not allowed."),
        _('Turn on "Allow tip on invoice" in the settings, or have the POS resend the closure.'),
    ),
    "cash_difference_over_threshold": (
        _("The cash difference {difference} is over the threshold of {threshold}."),
        _("Add a note to the closure explaining the difference, then retry."),
    ),
}


@dataclass(frozen=True)
class Hold:
    """One reason a closure cannot post, with what to do about it."""

    code: str
    message: str
    fix: str
    detail: dict = field(default_factory=dict)


class HoldError(Exception):
    """Raised by the builders when a closure must go on hold instead of posting."""

    def __init__(self, holds: list[Hold]) -> None:
        self.holds = list(holds)
        super().__init__("; ".join(h.message for h in self.holds))


def make_hold(code: str, **detail: str) -> Hold:
    """A hold of a known code, its texts filled from detail."""
    message, fix = _TEXTS[code]
    return Hold(code, message.format(**detail), fix.format(**detail), dict(detail))


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
