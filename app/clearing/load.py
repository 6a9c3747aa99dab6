"""From the database to matching's plain values: posted takings, settlement lines, bank entries."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlmodel import Session, col, select

from app.bank.models import BankEntry, ImportStatus, SettlementFile, SettlementLine
from app.clearing.facts import CASH, SWISH, ZERO, Entry, Line, Taking, tokens
from app.clearing.models import ClearingAlias
from app.closures.models import Closure, ClosureState
from app.companies.models import Store
from app.mapping.codes import lookup
from app.mapping.models import MappingVersion

# Methods no acquirer or deposit settles: sold on account, or paid with a gift card.
NOT_CLEARED = frozenset({"INVOICE", "GIFT_CARD"})
DEPOSIT_CODE = "CNTR/CDPT"  # ISO 20022 bank transaction code: counter transaction, cash deposit


def cleared(method: str, account: str | None) -> bool:
    """Whether method's takings are traced to the bank: cash on its till account, Swish on any
    asset account, or a method booked to an asset account other than the bank itself (19xx)."""
    if not account or method in NOT_CLEARED or not account.startswith("1"):
        return False
    # Swish booked straight to the bank account (BAS default 1930) still has to reach it.
    return method in (CASH, SWISH) or not account.startswith("19")


def latest_mapping(session: Session, company_id: int) -> dict:
    """The company's newest mapping (empty when it has none)."""
    row = session.exec(
        select(MappingVersion)
        .where(MappingVersion.company_id == company_id)
        .order_by(col(MappingVersion.version).desc())
    ).first()
    return row.data if row else {}


def load_takings(session: Session, company_id: int, mapping: dict) -> list[Taking]:
    """Per store, day and cleared method, what the latest posted closures booked."""
    versions: dict[int, dict] = {}
    sums: dict[tuple, Decimal] = defaultdict(Decimal)
    ids: dict[tuple, list[str]] = defaultdict(list)
    query = select(Closure).where(
        Closure.company_id == company_id,
        col(Closure.is_latest).is_(True),
        Closure.state == ClosureState.POSTED,
    )
    for c in session.exec(query):
        books = mapping
        if c.mapping_version_id:
            if c.mapping_version_id not in versions:
                row = session.get(MappingVersion, c.mapping_version_id)
                versions[c.mapping_version_id] = row.data if row else mapping
            books = versions[c.mapping_version_id]
        for method, amount in _paid(c.payload).items():
            account = lookup(books, f"payment:{method}")
            if cleared(method, account):
                key = (c.store_code, c.business_date, method, account)
                sums[key] += amount
                ids[key].append(c.closure_id)
    return [
        Taking(s, d, m, a, amount, tuple(sorted(ids[(s, d, m, a)])))
        for (s, d, m, a), amount in sums.items()
    ]


def _paid(payload: dict) -> dict[str, Decimal]:
    """Per method what the closure books on its account; cash as counted (the difference too)."""
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for pay in payload.get("payments") or []:
        paid[str(pay.get("method"))] += Decimal(str(pay.get("amount") or 0))
    count = payload.get("cash_count")
    if count and CASH in paid:
        paid[CASH] += Decimal(str(count["counted"])) - Decimal(str(count["expected"]))
    return dict(paid)


def aliases(session: Session, company_id: int) -> dict[str, dict[str, str]]:
    """The company's words for stores and methods: {"store": {WORD: code}, "method": {...}}."""
    found: dict[str, dict[str, str]] = {"store": {}, "method": {}}
    for row in session.exec(select(ClearingAlias).where(ClearingAlias.company_id == company_id)):
        found.setdefault(row.kind, {})[row.word.upper()] = row.code
    return found


def store_words(session: Session, company_id: int, words: dict[str, str]) -> dict[str, str]:
    """Every word naming one of the company's stores (its code, or an alias) -> its code."""
    codes = session.exec(select(Store.store_id).where(Store.company_id == company_id)).all()
    return {**{c.upper(): c for c in codes}, **words}


def load_lines(
    session: Session, company_id: int, mapping: dict, words: dict[str, dict[str, str]]
) -> list[Line]:
    """The settlement lines of imported files, store and method read in Kassabok's codes."""
    stores = store_words(session, company_id, words["store"])
    methods = {m.upper(): m for m in (mapping.get("payment_methods") or {})}
    query = (
        select(SettlementLine)
        .join(SettlementFile, col(SettlementFile.id) == SettlementLine.file_id)
        .where(
            SettlementLine.company_id == company_id,
            SettlementFile.status == ImportStatus.IMPORTED,
        )
    )
    lines = []
    for r in session.exec(query):
        said = r.payment_method.upper()
        method = words["method"].get(said) or methods.get(said) or "CARD"
        store = stores.get(r.store.upper(), r.store)
        account = lookup(mapping, f"payment:{method}") or ""
        lines.append(
            Line(
                r.id or 0,
                store,
                r.transaction_date,
                method,
                r.kind,
                r.gross,
                r.fee,
                r.net,
                r.payout_reference,
                r.payout_date,
                account,
            )
        )
    return lines


def load_entries(session: Session, company_id: int) -> list[Entry]:
    """The company's booked bank entries, credits and debits, with the words they carry."""
    query = select(BankEntry).where(
        BankEntry.company_id == company_id, col(BankEntry.reversal).is_(False)
    )
    return [
        Entry(
            e.id or 0,
            e.booking_date or e.value_date,  # type: ignore[arg-type]
            e.signed_amount,
            tokens(
                e.remittance,
                e.end_to_end_id,
                e.creditor_reference,
                e.entry_reference,
                e.additional_info,
            ),
            DEPOSIT_CODE in e.bank_transaction_code,
        )
        for e in session.exec(query)
        if (e.booking_date or e.value_date) and e.signed_amount != ZERO
    ]
