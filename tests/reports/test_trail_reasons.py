"""The PDF's exceptions give a hold's reason and fix in the report's language."""

from __future__ import annotations

from sqlmodel import select

from app.closures.models import Closure
from app.posting.reasons import Reason, encode
from tests.reports.test_pdf import build, pdf_text


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
