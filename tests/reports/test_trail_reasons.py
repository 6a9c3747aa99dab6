"""The PDF's exceptions give a hold's reason and fix in the report's language."""

from __future__ import annotations

from sqlmodel import select

from app.audit.service import record
from app.closures.models import Closure
from app.fortnox.errors import Retryable
from app.posting.reasons import Reason, encode, retryable
from app.reconcile.models import ClosureCheck
from tests.reports.test_pdf import build, pdf_text

RETRY = {"attempt": "2", "limit": "6", "delay": "4"}


def test_a_held_closures_reason_reads_in_the_reports_language(app, session, month, tmp_path):  # type: ignore[no-untyped-def]
    held = session.exec(select(Closure).where(Closure.state == "held")).one()
    held.state_reason = encode([Reason("unmapped_payment_method", {"method": "AMEX"})])
    held.hold_code = "unmapped_payment_method"
    session.add(held)
    session.commit()
    sv = pdf_text(build(app, session, month, "sv").pdf, tmp_path)
    assert "Betalsättet AMEX har inget konto i konteringen." in sv
    assert "Kontera betalsättet AMEX" in sv
    assert '"code"' not in sv
    en = pdf_text(build(app, session, month, "en").pdf, tmp_path)
    assert "Payment method AMEX has no account in the mapping." in en


def test_a_finding_and_a_retrys_detail_read_in_the_reports_language(  # type: ignore[no-untyped-def]
    app, session, month, tmp_path
):
    check = session.exec(select(ClosureCheck).where(ClosureCheck.status == "mismatch")).one()
    check.reason = encode([Reason("rows_differ", {"accounts": "3001"})])
    session.add(check)
    fault = retryable(Retryable("Bad Gateway", status=502))
    record(
        session,
        action="closure.retrying",
        company_id=month.company.id,
        actor="worker",
        target=f"closure:{check.closure_pk}",
        detail={"reason": encode([Reason("retrying", {**RETRY, "error": fault})]), "attempt": 2},
    )
    session.commit()
    sv = " ".join(pdf_text(build(app, session, month, "sv").pdf, tmp_path).split())  # one line
    assert "Raderna skiljer sig på konto 3001." in sv
    assert "Orsak: Försök 2 av 6 misslyckades" in sv
    assert "Fortnox hade ett tillfälligt fel (HTTP" in sv
    assert "Rows differ" not in sv and "reason:" not in sv and '"code"' not in sv
    en = " ".join(pdf_text(build(app, session, month, "en").pdf, tmp_path).split())
    assert "Rows differ on account 3001." in en and "Reason: Attempt 2 of 6 failed" in en
