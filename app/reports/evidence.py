"""The report's evidence: each register's Z-chain and its breaks, the VAT tie-out of each month.

Both read what Kassabok stores (closures, accountants' explanations, the tie-outs last read from
Fortnox on the VAT page): building a report never calls Fortnox.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from flask_babel import force_locale
from sqlmodel import Session, col, select

from app.auth.models import User
from app.evidence import breaks, texts
from app.evidence.chain import Break, Link
from app.evidence.models import VatTieout
from app.i18n import money
from app.reports.data import ZERO, Scope


@dataclass(frozen=True)
class Register:
    """One register's Z-reports of the period and the breaks found in its chain."""

    store: str
    register: str
    first: int
    last: int
    count: int
    grand_totals: bool
    findings: tuple[breaks.Finding, ...] = ()

    @property
    def explained(self) -> int:
        """How many of its breaks an accountant explained."""
        return sum(1 for f in self.findings if f.explained)


@dataclass(frozen=True)
class Chain:
    """The period's registers and every break whose later Z-report falls in it."""

    registers: list[Register]
    findings: list[breaks.Finding]

    @property
    def explained(self) -> int:
        """How many breaks an accountant explained."""
        return sum(1 for f in self.findings if f.explained)


def store_filter(scope: Scope, codes: Iterable[str]) -> set[str] | None:
    """The POS store ids the chain reads: None (every store) unless the report names stores."""
    return set(codes) if scope.store_ids else None


def chain(session: Session, scope: Scope, codes: Iterable[str]) -> Chain:
    """The Z-chain of every register with a Z-report in the period, breaks explained or not."""
    stores = store_filter(scope, codes)
    links, found = breaks.chain(session, scope.company_id, scope.start, scope.end, stores)
    return Chain(registers(links, found, scope.start), found)


def registers(links: list[Link], found: list[breaks.Finding], start: date) -> list[Register]:
    """Per store and register: first and last Z of the period, how many, grand totals, breaks."""
    seen: dict[tuple[str, str], list[Link]] = {}
    for link in links:
        if link.day >= start:  # the Z before the period is read only to chain from
            seen.setdefault((link.store, link.register), []).append(link)
    out = []
    for (store, register), mine in sorted(seen.items()):
        numbers = {k.z for k in mine}
        own = tuple(f for f in found if (f.brk.store, f.brk.register) == (store, register))
        sent = any(k.gt_sales is not None for k in mine)
        out.append(Register(store, register, min(numbers), max(numbers), len(numbers), sent, own))
    return out


def worded(brk: Break, language: str) -> tuple[str, str, str]:
    """A break's kind, Z numbers and meaning in language, in the chain page's own words."""
    with force_locale(language):
        kind = str(texts.KIND_TEXT[brk.kind])
        if brk.side:
            kind += f" ({texts.SIDE_TEXT[brk.side]})"
        return kind, texts.numbers(brk), texts.explain(brk, partial(money, locale=language))


def document_what(kind: str, why: str, language: str) -> str:
    """What a document behind a VAT difference is, as the VAT page says it, in language."""
    with force_locale(language):
        said = str(texts.STATE_TEXT.get(why, why)) if kind == "closure" else why
        return f"{texts.DOCUMENT_KIND.get(kind, kind)}: {said}"


# The stored tie-out's amounts of a rate, in RateLine's order (app.evidence.tieout.to_json).
RATE_KEYS = ("tills", "kassabok_vouchers", "kassabok_invoices", "others", "difference")


@dataclass(frozen=True)
class RateLine:
    """One VAT rate of a month's tie-out, amounts as numbers."""

    rate: str
    account: str
    tills: Decimal
    vouchers: Decimal
    invoices: Decimal
    others: Decimal
    difference: Decimal


@dataclass(frozen=True)
class Month:
    """A month the period touches and its VAT tie-out as last read from Fortnox (None: never)."""

    month: date
    whole: bool  # False when the period covers only part of it (a tie-out is of whole months)
    read_at: datetime | None = None
    read_by: str = ""
    digest: str = ""  # SHA-256 of the stored result: the fingerprint covers it
    rates: list[RateLine] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    deviations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def run(self) -> bool:
        """True when a tie-out of the month was read from Fortnox."""
        return self.read_at is not None

    def total(self, name: str) -> Decimal:
        """The sum of one column over the rates."""
        return sum((getattr(line, name) for line in self.rates), ZERO)


def _next(first: date) -> date:
    """The first day of the month after first's."""
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def months(scope: Scope) -> list[date]:
    """The first day of each calendar month the period touches."""
    out, at = [], scope.start.replace(day=1)
    while at <= scope.end:
        out.append(at)
        at = _next(at)
    return out


def _amount(value: Any) -> Decimal:
    """A stored decimal string as an amount (0 when absent)."""
    return Decimal(str(value)) if value not in (None, "") else ZERO


def _month(first: date, scope: Scope, kept: VatTieout | None, who: str) -> Month:
    """One month of the period with its stored tie-out read back as numbers."""
    whole = scope.start <= first and _next(first) - first.resolution <= scope.end
    if kept is None:
        return Month(first, whole)
    result = kept.result or {}
    text = json.dumps(result, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    rates = [
        RateLine(str(r.get("rate", "")), str(r.get("account", "")),
                 *(_amount(r.get(k)) for k in RATE_KEYS))
        for r in result.get("rates") or []
    ]  # fmt: skip
    documents = [{**d, "amount": _amount(d.get("amount"))} for d in result.get("documents") or []]
    deviations = [
        {**d, **{k: _amount(d.get(k)) for k in ("sales", "vat")},
         "effective": None if d.get("effective") is None else _amount(d["effective"])}
        for d in result.get("deviations") or []
    ]  # fmt: skip
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Month(first, whole, kept.read_at, who, digest, rates, documents, deviations)


def vat_months(session: Session, scope: Scope) -> list[Month]:
    """Each month of the period with its VAT tie-out as last read from Fortnox, if it was."""
    firsts = months(scope)
    query = (
        select(VatTieout, User)
        .join(User, col(User.id) == VatTieout.user_id, isouter=True)
        .where(
            VatTieout.company_id == scope.company_id,
            col(VatTieout.month).in_([m.strftime("%Y-%m") for m in firsts]),
        )
    )
    kept = {row.month: (row, user) for row, user in session.exec(query).all()}
    out = []
    for first in firsts:
        row, user = kept.get(first.strftime("%Y-%m"), (None, None))
        out.append(_month(first, scope, row, (user.name or user.email) if user else ""))
    return out


def covered(findings: Iterable[breaks.Finding], vat: Iterable[Month]) -> dict[str, list[Any]]:
    """What the fingerprint reads of the evidence: each break and its explanation, each tie-out."""
    said = []
    for f in findings:
        b, e = f.brk, f.explained
        amount = None if b.amount is None else f"{b.amount:.2f}"
        explanation = [e.at.isoformat(), e.comment] if e else None
        said.append([b.key, b.day.isoformat(), amount, explanation])
    ties = [
        [m.month.strftime("%Y-%m"), m.read_at.isoformat() if m.read_at else None, m.digest or None]
        for m in vat
    ]
    return {"breaks": sorted(said, key=json.dumps), "vat": ties}
