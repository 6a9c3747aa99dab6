"""Everything that must hold before a closure posts, read from the database and the builders."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from app.closures.models import Closure
from app.companies.models import Company, Store
from app.mapping.models import MappingVersion
from app.posting.builder import BuildSettings, UnbalancedVoucher, VoucherDraft, build_voucher
from app.posting.builder_limits import limit_holds
from app.posting.holds import Hold, HoldError, check_cash_difference, make_hold
from app.posting.invoices import InvoiceDraft, build_invoices
from app.posting.reasons import encode


def hold(code: str, **detail: object) -> Hold:
    """One of the posting engine's holds (texts in app/posting/texts.py)."""
    return make_hold(code, **detail)


@dataclass
class Plan:
    """What a closure will post, or why it cannot."""

    draft: VoucherDraft | None = None
    invoices: list[InvoiceDraft] = field(default_factory=list)
    mapping: MappingVersion | None = None
    holds: list[Hold] = field(default_factory=list)

    @property
    def reason(self) -> str:
        """The holds as a closure would store them (shown through the `reasons` filter)."""
        return summary(self.holds)[0]

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
    else:  # what Fortnox's spec would refuse is held here, before anything is sent
        result.holds += limit_holds(closure.store_code, result.draft, result.invoices)
    has_note = bool(closure.note.strip())
    cash = check_cash_difference(closure.payload, company.cash_threshold, has_note)
    if cash is not None:
        result.holds.append(cash)
    return result


def summary(holds: list[Hold]) -> tuple[str, str]:
    """The reason and code stored on a held closure (all codes and details, the first code)."""
    return encode(h.reason() for h in holds), holds[0].code if holds else ""
