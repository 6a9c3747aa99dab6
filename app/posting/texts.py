"""Every reason a closure is held, failed or parked: its code, message and fix (source language)."""

from __future__ import annotations


def _(text: str) -> str:
    """Mark a user-visible string for translation (translated where shown, never stored)."""
    return text


# code -> (message, fix); {placeholders} come from the reason's detail.
HOLDS: dict[str, tuple[str, str]] = {
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
    "locked_period": (
        _("Fortnox's books are locked up to {end}, so nothing can be posted on {date}."),
        _("Unlock the period in Fortnox (Inställningar › Bokföring), then retry."),
    ),
    "cost_center_too_long": (
        _("Store {store}'s cost center {center} is over Fortnox's limit of {limit} characters."),
        _("Under Stores, give store {store} the code of its cost center in Fortnox, then retry."),
    ),
    "voucher_series_too_long": (
        _("The voucher series {series} is over Fortnox's limit of {limit} characters."),
        _("In the settings, choose the code of a voucher series in Fortnox, then retry."),
    ),
    "text_too_long": (
        _("{field} of {document} would be {length} characters; Fortnox allows at most {limit}."),
        _("Have the POS resend the closure with a shorter text, then retry."),
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
    "orgnr_unconfirmed": (
        _("Fortnox company {name} has organisation number {theirs}, not this company's {ours}."),
        _(
            "Only an admin of the company can confirm on the Fortnox page that it is the right one;"
            " held closures then post by themselves."
        ),
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
        _("Credit them in Fortnox by hand, then click Post the correction: this revision posts."),
    ),
    "previous_revision_posting": (
        _("Revision {old} is being posted right now."),
        _("Wait: this revision is checked again when that post finishes."),
    ),
}

# Reasons for the other states (parked, retrying, failed, superseded), shown like a hold's.
STATES: dict[str, tuple[str, str]] = {
    "before_start_date": (_("Before the company's start date {date}: recorded, not posted."), ""),
    "sync_off": (_("Sync sales is off: recorded, not posted."), ""),
    "retrying": (_("Attempt {attempt} of {limit} failed; retrying in {delay} s: {error}"), ""),
    "retries_exhausted": (
        _("Posting failed after {attempts} attempts: {error}"),
        _("Fix what the error names, then click Retry."),
    ),
    "superseded_after_posting": (
        _("Revision {new} arrived after posting; a correction is due."),
        "",
    ),
    "superseded_before_posting": (_("Replaced by revision {new} before posting."), ""),
    "correction_failed": (_("The correction could not be posted: {message}"), ""),
    # Written by worker/sweeper.py as English prose; read back through this template.
    "recovered": (_("The worker stopped mid-post; Fortnox is searched before posting again."), ""),
}

# What reconciling a closure or a store-day found (app/reconcile), and the parts of a finding.
FINDINGS: dict[str, tuple[str, str]] = {
    "correction_due_after_posting": (
        _("A newer revision arrived after posting; a correction is due."),
        "",
    ),
    "nothing_to_book": (_("Nothing to book."), ""),
    "expected_unbuildable": (_("The expected voucher cannot be built: {error}"), ""),
    "not_read_back": (_("Posted; not read back from Fortnox yet."), ""),
    "voucher_missing": (_("Voucher {voucher} is not in Fortnox."), ""),
    "invoice_missing": (_("Invoice {refs} is not in Fortnox."), ""),
    "duplicate_key": (_("More than one voucher carries this key: {which}."), ""),
    "booked_outside": (
        _("Booked again outside Kassabok (same store, day and amounts): {which}."),
        "",
    ),
    "rows_differ": (_("Rows differ on account {accounts}."), ""),
    "invoice_differs": (_("Invoice differs: {text}"), ""),
    "day_differs": (
        _("Fortnox holds other amounts on cost center {cc} for this day: {accounts}."),
        "",
    ),
    "document_cancelled": (_("{reference}: cancelled"), ""),
    "document_mismatch": (_("{reference} differs: {problems}"), ""),
    "document_total": (_("Total {actual} (round-off {off}), expected {expected}"), ""),
    "document_vat": (_("VAT {actual}, expected {expected}"), ""),
    "document_tip": (_("Tip {actual}, expected {expected}"), ""),
    "document_keys": (_("{n} documents carry this key"), ""),
    "store_without_cost_center": (_("Store {store} has no cost center."), ""),
}

TEXTS: dict[str, tuple[str, str]] = {**HOLDS, **STATES, **FINDINGS}
# Earlier English of a code, still found in stored prose (read back, never written again).
EARLIER: dict[str, tuple[str, str]] = {
    "documents_booked": (
        "Revision {old} made documents Fortnox cannot cancel: {documents}.",
        "Credit them in Fortnox by hand, then click Correct: this revision then posts.",
    ),
    # The builders' and the reconcile loader's own English for an expected voucher not built.
    "unbalanced": ("voucher does not balance: debit {debit} != credit {credit}", ""),
    "no_mapping": ("no mapping", ""),
    "store_without_cost_center": ("store {store} has no cost center", ""),
}

# Words inside a reason's detail (a document's kind, why it stands), translated with it.
DOCUMENT_KINDS = {"invoice": _("invoice"), "order": _("order"), "voucher": _("voucher")}
DOCUMENT_WHY = {
    "bookkept": _("bookkept"),
    "invoiced as invoice {number}": _("invoiced as invoice {number}"),
    "Fortnox no longer has it.": _("Fortnox no longer has it."),
}
