"""The Z-chain of each register: nothing missing, nothing invented, exact to the öre.

Per store and register the Z numbers must run without gaps and, where the POS sends the
register's grand totals (kassabok.closure/1 `grand_total`), each Z must raise them by exactly its
own sales and returns: sales by the closure's positive sales lines (gross), returns by its negative
lines made positive. Only the newest revision of each closure takes part: a revision is the
contract's way to correct a Z-report, so two closures only clash when they have different ids.

Breaks, each attributed to the business day of the later Z-report:
- z_gap: Z numbers missing between two that arrived; amount = what the grand total says the
  missing ones sold (None without grand totals on both sides);
- grand_total_jump: the grand total rose by more (or less) than the Z's own lines; amount = the
  rise minus the lines, positive for sales that never reached Kassabok (side: sales or returns);
- z_repeat: one Z number sent under different closure ids with different content;
- register_reset: a grand total went down; amount = the fall (negative).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")
KINDS = ("z_gap", "grand_total_jump", "z_repeat", "register_reset")
MAX_LISTED = 100  # missing Z numbers listed per gap; `missing` counts them all
_NOT_CONTENT = ("closure_id", "revision", "z_report")  # a resend may change these alone


@dataclass(frozen=True)
class Link:
    """One Z-report of a register as the chain reads it (the newest revision of its closure)."""

    store: str
    register: str
    z: int
    day: date
    closure_id: str
    content: str
    sales: Decimal
    returns: Decimal
    gt_sales: Decimal | None = None
    gt_returns: Decimal | None = None


@dataclass(frozen=True)
class Break:
    """One break in a register's chain, on the business day of the later Z-report."""

    store: str
    register: str
    kind: str
    z_numbers: tuple[int, ...]
    day: date
    amount: Decimal | None = None
    side: str = ""
    closures: tuple[str, ...] = ()
    missing: int = 0

    @property
    def key(self) -> str:
        """What names this break across runs (an explanation is filed under it)."""
        numbers = ",".join(map(str, self.z_numbers))
        return f"{self.kind}:{self.side}:{self.store}:{self.register}:{numbers}"

    def to_json(self) -> dict:
        """The break as GET /api/v1/reconciliation answers it (without `explained`)."""
        return {
            "store": self.store,
            "register": self.register,
            "kind": self.kind,
            "z_numbers": list(self.z_numbers),
            "amount": None if self.amount is None else f"{self.amount:.2f}",
            "side": self.side or None,
            "day": self.day.isoformat(),
        }


def day_totals(lines: Iterable[dict]) -> tuple[Decimal, Decimal]:
    """A closure's sales (its positive lines' gross) and returns (its negative lines', positive)."""
    sales = returns = ZERO
    for line in lines:
        gross = Decimal(str(line["gross"]))
        if gross > 0:
            sales += gross
        else:
            returns -= gross
    return sales, returns


def content_of(payload: dict) -> str:
    """A fingerprint of what a closure says, whatever its id, revision or attached PDF."""
    said = {k: v for k, v in payload.items() if k not in _NOT_CONTENT}
    text = json.dumps(said, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def link_of(payload: dict, day: date) -> Link:
    """The chain's reading of a stored closure payload."""
    sales, returns = day_totals(payload.get("sales") or [])
    totals = payload.get("grand_total") or {}
    return Link(
        store=str(payload["store_id"]),
        register=str(payload["register_id"]),
        z=int(payload["z_number"]),
        day=day,
        closure_id=str(payload["closure_id"]),
        content=content_of(payload),
        sales=sales,
        returns=returns,
        gt_sales=Decimal(str(totals["sales"])) if totals else None,
        gt_returns=Decimal(str(totals["returns"])) if totals else None,
    )


def _between(a: Link, b: Link) -> list[Break]:
    """The breaks between two consecutive Z numbers a < b of one register."""
    gts = None not in (a.gt_sales, a.gt_returns, b.gt_sales, b.gt_returns)
    if not gts and b.z - a.z == 1:
        return []  # the common case, first: the month board reads every register's chain
    out: list[Break] = []
    at = {"store": b.store, "register": b.register, "day": b.day}
    rise_sales = (b.gt_sales or ZERO) - (a.gt_sales or ZERO)
    rise_returns = (b.gt_returns or ZERO) - (a.gt_returns or ZERO)
    pair = (a.z, b.z)
    if gts and (rise_sales < 0 or rise_returns < 0):
        side, fall = ("sales", rise_sales) if rise_sales < 0 else ("returns", rise_returns)
        out.append(Break(kind="register_reset", z_numbers=pair, amount=fall, side=side, **at))
    reset = bool(out)
    if b.z - a.z > 1:
        missing = range(a.z + 1, b.z)
        sold = rise_sales - b.sales if gts and not reset else None
        listed = tuple(missing[:MAX_LISTED])
        out.append(Break(kind="z_gap", z_numbers=listed, amount=sold, missing=len(missing), **at))
    elif gts and not reset:
        sides = (("sales", rise_sales, b.sales), ("returns", rise_returns, b.returns))
        for side, rise, own in sides:
            if rise != own:
                jump = Break(kind="grand_total_jump", z_numbers=pair, amount=rise - own, **at)
                out.append(replace(jump, side=side))
    return out


def _one(same: list[Link]) -> Link:
    """The link a Z number stands for; a Z sent twice differently has no grand total to trust."""
    if len({k.content for k in same}) == 1:
        return same[0]
    return replace(same[0], gt_sales=None, gt_returns=None)


def register_breaks(links: list[Link]) -> list[Break]:
    """Every break in one register's chain, in Z order."""
    by_z: dict[int, list[Link]] = defaultdict(list)
    for link in sorted(links, key=lambda k: (k.z, k.day, k.closure_id)):
        by_z[link.z].append(link)
    out: list[Break] = []
    numbers = sorted(by_z)
    for z in numbers:
        same = by_z[z]
        if len({k.content for k in same}) > 1:
            ids = tuple(k.closure_id for k in same)
            last = same[-1]
            out.append(Break(last.store, last.register, "z_repeat", (z,), last.day, closures=ids))
    for a, b in zip(numbers, numbers[1:], strict=False):
        out += _between(_one(by_z[a]), _one(by_z[b]))
    return out


def find_breaks(links: Iterable[Link], since: date | None = None) -> list[Break]:
    """Every break of every register, those before since left out (they belong to earlier)."""
    registers: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for link in links:
        registers[link.store, link.register].append(link)
    found = [b for key in sorted(registers) for b in register_breaks(registers[key])]
    return [b for b in found if since is None or b.day >= since]
