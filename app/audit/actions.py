"""The words of the audit trail's actions: low, so every area that shows events can read them.

Both catalogs carry them: the portal's (babel.cfg) and the PDF report's
(app/reports/translations/babel.cfg scans this file too).
"""

from __future__ import annotations


def N_(text: str) -> str:
    """Mark text for translation where it is shown (babel extracts N_)."""
    return text


ACTIONS = {
    "closure.received": N_("closure received"),
    "closure.upload": N_("closures uploaded"),
    "closure.rejected": N_("payload refused"),
    "closure.rejected_resolved": N_("refused payload resolved"),
    "closure.held": N_("put on hold"),
    "closure.retrying": N_("retry scheduled"),
    "closure.failed": N_("posting failed"),
    "closure.retry": N_("retried"),
    "closure.approved": N_("approved"),
    "closure.note": N_("note added"),
    "closure.voucher_posted": N_("voucher posted"),
    "closure.invoice_posted": N_("invoice posted"),
    "closure.order_posted": N_("order posted"),
    "closure.reversal_posted": N_("reversal posted"),
    "closure.document_cancelled": N_("superseded document cancelled"),
    "closure.document_booked": N_("superseded document already bookkept"),
    "closure.document_left": N_("bookkept document left to be credited by hand"),
    "closure.correction_requested": N_("correction requested"),
    "closure.nothing_to_book": N_("nothing to book"),
    "closure.reviewed": N_("marked reviewed"),
    "closure.zreport_attached": N_("Z-report attached to the voucher"),
    "reconcile.reviewed": N_("store-day reviewed"),
    "fortnox.connected": N_("Fortnox connected"),
    "fortnox.disconnected": N_("Fortnox disconnected"),
    "fortnox.lost": N_("Fortnox connection lost"),
    "fortnox.consent_denied": N_("Fortnox consent denied"),
    "fortnox.link_created": N_("Fortnox authorization link created"),
    "fortnox.orgnr_confirmed": N_("Fortnox company with another organisation number confirmed"),
    "fortnox.keys_rotated": N_("Fortnox token encryption keys rotated"),
    "fortnox.cost_center_created": N_("cost center created in Fortnox"),
    "fortnox.web_address": N_("Fortnox web address kept for links"),
    "evidence.break_explained": N_("Z-chain break explained"),
    "evidence.sie_downloaded": N_("SIE 4 file downloaded"),
    "bank.statement_imported": N_("bank statement imported"),
    "bank.statement_refused": N_("bank statement refused"),
    "bank.settlement_imported": N_("settlement report imported"),
    "bank.settlement_refused": N_("settlement report refused"),
    "bank.profile_saved": N_("settlement profile saved"),
    "bank.fee_voucher_posted": N_("fee voucher posted"),
    "bank.fee_voucher_held": N_("fee voucher put on hold"),
    "bank.fee_voucher_retrying": N_("fee voucher retry scheduled"),
    "bank.fee_voucher_failed": N_("fee voucher failed"),
    "bank.fee_voucher_retried": N_("fee voucher retried"),
    "bank.fee_changed_after_post": N_("fees changed after their voucher was posted"),
    "clearing.match": N_("matched by hand"),
    "clearing.unmatch": N_("match undone by hand"),
    "clearing.forget": N_("hand match forgotten"),
    "clearing.late_after_saved": N_("clearing late-after days saved"),
    "clearing.alias_added": N_("clearing alias added"),
    "clearing.alias_removed": N_("clearing alias removed"),
    "company.created": N_("company created"),
    "member.added": N_("member added"),
    "member.changed": N_("member changed"),
    "member.removed": N_("member removed"),
    "store.created": N_("store created"),
    "store.changed": N_("store changed"),
    "stores.imported": N_("stores imported"),
    "token.created": N_("API token created"),
    "token.revoked": N_("API token revoked"),
    "mapping.saved": N_("mapping saved"),
    "settings.changed": N_("settings changed"),
    "report.ordered": N_("report ordered"),
    "report.built": N_("report built"),
    "report.downloaded": N_("report downloaded"),
    "report.file_deleted": N_("report file deleted (retention)"),
}
