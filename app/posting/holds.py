"""Why a closure cannot post yet: a code and its details, translated where shown (texts.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from app.closures.figures import cash_over
from app.mapping.codes import lookup, seen_codes
from app.posting.reasons import Reason, say


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


def unmapped_codes(closure: dict, mapping: dict) -> set[str]:
    """Codes seen in a closure with no account in the mapping, e.g. "payment:AMEX"."""
    return {code for code in seen_codes(closure) if lookup(mapping, code) is None}


def check_cash_difference(closure: dict, threshold: Decimal, has_note: bool) -> Hold | None:
    """A hold when counted cash is off by more than threshold and no note says why."""
    difference = None if has_note else cash_over(closure, threshold)
    if difference is None:
        return None
    return make_hold(
        "cash_difference_over_threshold",
        difference=f"{difference:.2f}",
        threshold=f"{threshold:.2f}",
    )
