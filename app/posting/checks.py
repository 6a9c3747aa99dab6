"""Everything that must hold before a closure posts, read from the database and the builders."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from app.closures.models import Closure
from app.companies.models import Company, Store
from app.mapping.models import MappingVersion
from app.posting.builder import BuildSettings, UnbalancedVoucher, VoucherDraft, build_voucher
from app.posting.holds import Hold, HoldError, check_cash_difference
from app.posting.invoices import InvoiceDraft, build_invoices


def _(text: str) -> str:
    """Mark a user-visible string for translation (stored in the source language)."""
    return text


# The holds this module and the posting engine add to the builders' own.
_TEXTS: dict[str, tuple[str, str]] = {
    "no_mapping": (
        _("The company has no account mapping yet."),
        _("Save an account mapping on the mapping page; held closures then post by themselves."),
    ),
    "unknown_store": (
        _("Store {store} is not set up, so its cost center is unknown."),
        _("Add store {store} with its cost center under Stores, then retry."),
    ),
    "unbalanced": (
        _("The voucher does not balance: debit {debit}, credit {credit}."),
        _("Ask the POS vendor to resend the closure; Kassabok never sends an unbalanced voucher."),
    ),
    "no_financial_year": (
        _("Fortnox has no financial year for {date}."),
        _("Create the financial year in Fortnox, then retry."),
    ),
    "fortnox_rejected": ("{message}", ""),
    "auth_lost": (
        _("Fortnox connection lost — reconnect."),
        _("An admin reconnects the company to Fortnox; held closures then post by themselves."),
    ),
    "unknown_customer": (
        _("Customer {customer} does not exist in Fortnox and the POS gave no name to create it."),
        _("Create customer {customer} in Fortnox, then retry."),
    ),
    "preflight_failed": (
        _("The pre-flight check is red: {lines}"),
        _("Fix what the pre-flight page shows; held closures post by themselves once it is green."),
    ),
    "correction_due": (
        _("Revision {old} was already posted as voucher {voucher}; a correction is due."),
        _("Post the correction: a reversal of the old voucher, then this revision's voucher."),
    ),
    "documents_due": (
        _("Revision {old} already made {documents} in Fortnox; they are cancelled first."),
        _("Post the correction: the old documents are cancelled, then this revision posts."),
    ),
    "documents_booked": (
        _("Revision {old} made documents Fortnox cannot cancel: {documents}."),
        _("Credit them in Fortnox by hand, then click Correct: this revision then posts."),
    ),
    "previous_revision_posting": (
        _("Revision {old} is being posted right now."),
        _("Wait: this revision is checked again when that post finishes."),
    ),
}


def hold(code: str, **detail: object) -> Hold:
    """One of the posting engine's holds, its texts filled from detail."""
    message, fix = _TEXTS[code]
    strs = {k: str(v) for k, v in detail.items()}
    return Hold(code, message.format(**strs), fix.format(**strs), strs)


@dataclass
class Plan:
    """What a closure will post, or why it cannot."""

    draft: VoucherDraft | None = None
    invoices: list[InvoiceDraft] = field(default_factory=list)
    mapping: MappingVersion | None = None
    holds: list[Hold] = field(default_factory=list)

    @property
    def nothing_to_book(self) -> bool:
        """True when neither a voucher nor an invoice would be made."""
        return self.draft is not None and self.draft.is_empty and not self.invoices


def latest_mapping(session: Session, company_id: int) -> MappingVersion | None:
    """The company's newest mapping version (the mapping service's, when it exists)."""
    try:
        from app.mapping.service import latest_mapping as newest
    except ImportError:
        return session.exec(
            select(MappingVersion)
            .where(MappingVersion.company_id == company_id)
            .order_by(MappingVersion.version.desc())  # type: ignore[attr-defined]
        ).first()
    return newest(session, company_id)


def build_settings(company: Company) -> BuildSettings:
    """The company switches the builders need."""
    return BuildSettings(
        series=company.voucher_series,
        invoice=company.invoice,
        tip_on_invoice=company.tip_on_invoice,
        use_order=company.use_order,
    )


def cost_center(session: Session, closure: Closure, mapping: dict) -> str | None:
    """The store's cost center: the store row's, else the mapping's."""
    store = session.get(Store, closure.store_pk) if closure.store_pk else None
    if store is None:
        store = session.exec(
            select(Store).where(
                Store.company_id == closure.company_id, Store.store_id == closure.store_code
            )
        ).first()
    if store is not None and store.cost_center:
        return store.cost_center
    entry = (mapping.get("stores") or {}).get(closure.store_code) or {}
    return entry.get("cost_center") or None


def plan(session: Session, closure: Closure, company: Company) -> Plan:
    """Build the voucher and invoices for closure, collecting every hold instead of raising."""
    result = Plan(mapping=latest_mapping(session, closure.company_id))
    if result.mapping is None:
        result.holds.append(hold("no_mapping"))
        return result
    mapping = result.mapping.data
    center = cost_center(session, closure, mapping)
    if center is None:
        result.holds.append(hold("unknown_store", store=closure.store_code))
        return result
    settings = build_settings(company)
    try:
        result.draft = build_voucher(closure.payload, mapping, settings, center)
        result.invoices = build_invoices(closure.payload, mapping, settings, center)
    except HoldError as err:
        result.holds += [h for h in err.holds if h not in result.holds]
    except UnbalancedVoucher as err:
        result.holds.append(hold("unbalanced", debit=err.debit, credit=err.credit))
    has_note = bool(closure.note.strip())
    cash = check_cash_difference(closure.payload, company.cash_threshold, has_note)
    if cash is not None:
        result.holds.append(cash)
    return result


def summary(holds: list[Hold]) -> tuple[str, str]:
    """The reason text and code stored on a held closure (all messages, the first code)."""
    reason = "\n".join(f"{h.message} {h.fix}".strip() for h in holds)
    return reason, holds[0].code if holds else ""
