"""Clearing's settings: when unsettled takings are late, the acquirers' words for stores and
methods, the stores' Swish numbers; each change is audited and the company is matched afresh."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from app.audit.service import record
from app.bank.models import BankEntry, SettlementLine
from app.clearing.facts import CASH, tokens
from app.clearing.load import aliases, latest_mapping, store_words
from app.clearing.models import ClearingAlias, ClearingSetting
from app.clearing.service import late_after, recompute
from app.clearing.swish import NUMBER, numbers_in
from app.companies.models import Store

KINDS = ("store", "method")
SWISH_KIND = "swish"  # an alias naming a store's Swish number
LATE_MIN, LATE_MAX = 1, 30


class SettingRefused(ValueError):
    """A setting that cannot be saved; the message says what to fix."""


def method_codes(session: Session, company_id: int) -> list[str]:
    """The payment methods an acquirer's word may stand for: the basics and the mapping's."""
    mapped = latest_mapping(session, company_id).get("payment_methods") or {}
    return sorted({CASH, "CARD", "SWISH", *mapped})


def store_codes(session: Session, company_id: int) -> list[str]:
    """The company's store codes."""
    return sorted(session.exec(select(Store.store_id).where(Store.company_id == company_id)))


def unexplained(session: Session, company_id: int) -> list[str]:
    """Stores or terminals seen in settlement lines that no store code or alias explains."""
    known = store_words(session, company_id, aliases(session, company_id)["store"])
    seen = session.exec(
        select(SettlementLine.store).where(SettlementLine.company_id == company_id).distinct()
    )
    return sorted({w for w in seen if w and w.upper() not in known})


def save_late_after(session: Session, *, company_id: int, text: str, user: Any) -> int:
    """Set after how many banking days unsettled takings are late (1-30); match afresh."""
    try:
        days = int(text.strip())
    except ValueError:
        days = 0
    if not LATE_MIN <= days <= LATE_MAX:
        raise SettingRefused(
            _(
                "Enter a whole number of banking days from %(lo)s to %(hi)s.",
                lo=LATE_MIN,
                hi=LATE_MAX,
            )
        )
    before = late_after(session, company_id)
    row = session.get(ClearingSetting, company_id) or ClearingSetting(company_id=company_id)
    row.late_after = days
    session.add(row)
    _changed(
        session, company_id, user, "clearing.late_after_saved", {"before": before, "after": days}
    )
    return days


def add_alias(
    session: Session, *, company_id: int, kind: str, word: str, code: str, user: Any
) -> ClearingAlias:
    """Read an acquirer's word (a terminal, store id or method) as one of the company's codes."""
    word = word.strip()
    if kind not in KINDS:
        raise SettingRefused(_("Choose whether the word names a store or a payment method."))
    if not word or len(word) > 80:
        raise SettingRefused(
            _("Enter the word as the settlement report writes it (at most 80 characters).")
        )
    codes = (
        store_codes(session, company_id) if kind == "store" else method_codes(session, company_id)
    )
    if code not in codes:
        raise SettingRefused(_("Choose one of the company's codes for %(word)s.", word=word))
    taken = aliases(session, company_id)[kind].get(word.upper())
    if taken is not None:
        raise SettingRefused(
            _("%(word)s is already read as %(code)s; remove that first.", word=word, code=taken)
        )
    row = ClearingAlias(company_id=company_id, kind=kind, word=word, code=code)
    session.add(row)
    _changed(
        session,
        company_id,
        user,
        "clearing.alias_added",
        {"kind": kind, "word": word, "code": code},
    )
    return row


def remove_alias(session: Session, *, company_id: int, alias_id: int, user: Any) -> None:
    """Forget one of the company's aliases."""
    row = session.get(ClearingAlias, alias_id)
    if row is None or row.company_id != company_id:
        raise SettingRefused(_("No such alias; it may have been removed already."))
    detail = {"kind": row.kind, "word": row.word, "code": row.code}
    session.delete(row)
    _changed(session, company_id, user, "clearing.alias_removed", detail)


def company_aliases(session: Session, company_id: int) -> list[ClearingAlias]:
    """The company's aliases of acquirers' words, stores first, by word."""
    query = select(ClearingAlias).where(
        ClearingAlias.company_id == company_id, col(ClearingAlias.kind).in_(KINDS)
    )
    return list(session.exec(query.order_by(col(ClearingAlias.kind).desc(), ClearingAlias.word)))


def swish_numbers(session: Session, company_id: int) -> list[ClearingAlias]:
    """The stores' Swish numbers (aliases of kind swish: word the number, code the store)."""
    query = select(ClearingAlias).where(
        ClearingAlias.company_id == company_id, ClearingAlias.kind == SWISH_KIND
    )
    return list(session.exec(query.order_by(ClearingAlias.code, ClearingAlias.word)))


def add_swish_number(
    session: Session, *, company_id: int, number: str, code: str, user: Any
) -> ClearingAlias:
    """Name a store's Swish number, 10 digits from 123 (spaces and hyphens are left out)."""
    digits = "".join(ch for ch in number if ch not in " -")
    if not NUMBER.fullmatch(digits):
        raise SettingRefused(
            _(
                "A Swish number for business has 10 digits and starts with 123, "
                "e.g. 123 456 78 90; %(typed)s is not one.",
                typed=number.strip() or '""',
            )
        )
    if code not in store_codes(session, company_id):
        raise SettingRefused(_("Choose the store whose Swish number %(number)s is.", number=digits))
    taken = aliases(session, company_id).get(SWISH_KIND, {}).get(digits)
    if taken is not None:
        raise SettingRefused(
            _(
                "%(number)s is already the Swish number of %(code)s; remove it there first.",
                number=digits,
                code=taken,
            )
        )
    row = ClearingAlias(company_id=company_id, kind=SWISH_KIND, word=digits, code=code)
    session.add(row)
    detail = {"kind": SWISH_KIND, "word": digits, "code": code}
    _changed(session, company_id, user, "clearing.alias_added", detail)
    return row


def unknown_swish_numbers(session: Session, company_id: int) -> list[str]:
    """Swish numbers the bank's entries carry that no store has."""
    known = aliases(session, company_id).get(SWISH_KIND, {})
    texts = session.exec(
        select(BankEntry.remittance, BankEntry.additional_info).where(
            BankEntry.company_id == company_id,
            col(BankEntry.remittance).contains("123")
            | col(BankEntry.additional_info).contains("123"),
        )
    )
    seen: set[str] = set()
    for remittance, info in texts:
        words = tokens(remittance, info)
        if any("SWISH" in w for w in words):
            seen.update(numbers_in(words))
    return sorted(seen - set(known))


def _changed(session: Session, company_id: int, user: Any, action: str, detail: dict) -> None:
    """Audit a settings change and match the company afresh (the caller commits)."""
    session.flush()
    record(session, action=action, company_id=company_id, user=user, target="", detail=detail)
    recompute(session, company_id)
