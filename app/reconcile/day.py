"""Store-day check, pure: the POS's totals against every Fortnox row on the store's cost center."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from app.posting.reasons import Reason, encode
from app.reconcile.compare import ClosureResult, _plain
from app.reconcile.facts import ZERO, Book, ClosureFacts, worst


@dataclass(frozen=True)
class DayLine:
    """One account's balance for the day (debit minus credit): POS-expected and in Fortnox."""

    account: str
    label: str
    expected: Decimal
    actual: Decimal

    @property
    def delta(self) -> Decimal:
        """Actual minus expected."""
        return self.actual - self.expected


@dataclass(frozen=True)
class DayResult:
    """One store on one day."""

    store_code: str
    cost_center: str
    business_date: date
    status: str
    differs: bool
    pos_total: Decimal
    fortnox_total: Decimal
    lines: tuple[DayLine, ...] = ()
    pos: dict | None = None
    vouchers: tuple[str, ...] = ()
    reason: str = ""  # codes and details (posting.reasons.encode), worded where shown

    def to_json(self) -> dict:
        """A JSON-ready form (amounts as strings)."""
        return _plain(asdict(self))  # type: ignore[return-value]


def stored_lines(detail: dict) -> tuple[DayLine, ...]:
    """A stored day check's account lines, amounts as Decimal again."""
    return tuple(
        DayLine(x["account"], x.get("label", ""), Decimal(x["expected"]), Decimal(x["actual"]))
        for x in detail.get("lines", [])
    )


def fingerprint(lines: tuple[DayLine, ...]) -> str:
    """The differing lines as one canonical text: "account:expected:actual;..." by account."""
    cent = Decimal("0.01")
    return ";".join(
        f"{x.account}:{x.expected.quantize(cent)}:{x.actual.quantize(cent)}"
        for x in sorted(lines, key=lambda x: x.account)
        if x.delta
    )


def fingerprinted(text: str) -> tuple[DayLine, ...]:
    """The differing lines a fingerprint holds (no labels: it keeps amounts only)."""
    parts = (item.rsplit(":", 2) for item in text.split(";") if item)
    return tuple(DayLine(account, "", Decimal(e), Decimal(a)) for account, e, a in parts)


def total_line(lines: tuple[DayLine, ...]) -> DayLine:
    """The lines summed: its delta is the net difference (0 when two accounts cancel)."""
    return DayLine(
        "",
        "",
        sum((x.expected for x in lines), ZERO),
        sum((x.actual for x in lines), ZERO),
    )


def merge_pos(parts: list[dict]) -> dict:
    """Sum several closures' POS totals: gross sales, VAT per rate, payments per method."""
    out: dict = {"gross": ZERO, "vat": {}, "payments": {}}
    for part in parts:
        out["gross"] += part.get("gross", ZERO)
        for name in ("vat", "payments"):
            for k, v in part.get(name, {}).items():
                out[name][k] = out[name].get(k, ZERO) + v
    return out


def compare_store_day(
    store_code: str,
    cost_center: str,
    day: date,
    closures: list[tuple[ClosureFacts, ClosureResult]],
    book: Book,
) -> DayResult:
    """The day's status: its closures' worst, or mismatch when Fortnox holds other amounts."""
    expected: dict[str, Decimal] = {}
    labels: dict[str, str] = {}
    pos_total = ZERO
    for facts, _result in closures:
        if facts.expected is None:
            continue
        pos_total += facts.expected.total_debit
        if facts.state != "posted" or facts.nothing_to_book:
            continue
        for row in facts.expected.rows:
            expected[row.account] = expected.get(row.account, ZERO) + row.debit - row.credit
            labels.setdefault(row.account, row.label)
    actual: dict[str, Decimal] = {}
    fortnox_total = ZERO
    booked = book.booked_on(day, cost_center)
    for voucher in booked:
        for row in voucher.rows:
            if row.cost_center == cost_center:
                actual[row.account] = actual.get(row.account, ZERO) + row.debit - row.credit
                fortnox_total += row.debit
    lines = tuple(
        DayLine(a, labels.get(a, ""), expected.get(a, ZERO), actual.get(a, ZERO))
        for a in sorted(set(expected) | set(actual))
    )
    differs = any(line.delta for line in lines)
    status = worst(r.status for _f, r in closures) or "none"
    reason = ""
    if differs:
        accounts = ", ".join(line.account for line in lines if line.delta)
        reason = encode([Reason("day_differs", {"cc": cost_center, "accounts": accounts})])
        if status == "matched":
            status = "mismatch"
    return DayResult(
        store_code=store_code,
        cost_center=cost_center,
        business_date=day,
        status=status,
        differs=differs,
        pos_total=pos_total,
        fortnox_total=fortnox_total,
        lines=lines,
        pos=merge_pos([f.pos for f, _r in closures]),
        vouchers=tuple(v.label for v in booked),
        reason=reason,
    )
