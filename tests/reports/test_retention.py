"""Report PDFs are deleted after the retention period; the row, fingerprint and trail stay."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.db import utcnow
from app.reports.models import Report, ReportStatus
from tests.auth.world import sign_in_fast
from tests.factories import make_company, make_user

DAY = timedelta(days=1)


def _report(session: Session, app, company_id: int, age_days: int, status: str = "done") -> Report:
    """A finished report age_days old, with its PDF on disk when it was built."""
    report = Report(
        company_id=company_id,
        period_start=date(2025, 10, 1),
        period_end=date(2025, 10, 31),
        status=status,
        fingerprint=f"{age_days:064d}",
        size=5,
        finished_at=utcnow() - age_days * DAY,
    )
    session.add(report)
    session.commit()
    if status == "done":
        report.filename = f"{company_id}/report-{report.id}.pdf"
        path = Path(app.config["REPORTS_DIR"]) / report.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-")
        session.add(report)
        session.commit()
    return report


@pytest.fixture
def reports(app, session) -> dict[str, Report]:
    """An old, a young and an old failed report of one company, and an old one of another."""
    company = make_company(session, "Gammal AB", "556000-0011")
    other = make_company(session, "Annan AB", "556000-0012")
    make_user(session, "auditor@gammal.test", company, "auditor")
    return {
        "old": _report(session, app, company.id, 400),
        "young": _report(session, app, company.id, 10),
        "failed": _report(session, app, company.id, 400, status="failed"),
        "other": _report(session, app, other.id, 500),
    }


def _file(app, report: Report) -> Path:
    return Path(app.config["REPORTS_DIR"]) / report.filename


def test_prune_deletes_old_pdfs_and_keeps_their_rows(app, session, reports):
    from app.reports.retention import prune

    old_file = _file(app, reports["old"])
    with app.app_context():
        pruned = prune(session, days=365, company_id=reports["old"].company_id)
    assert [r.id for r in pruned] == [reports["old"].id]
    assert not old_file.exists() and _file(app, reports["young"]).exists()
    session.expire_all()
    old = session.get(Report, reports["old"].id)
    assert (old.status, old.filename, old.fingerprint) == ("expired", "", f"{400:064d}")
    assert session.get(Report, reports["other"].id).status == ReportStatus.DONE
    assert session.get(Report, reports["failed"].id).status == ReportStatus.FAILED
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "report.file_deleted")).one()
    assert event.detail["fingerprint"] == old.fingerprint and event.actor == "retention"


def test_cli_dry_run_deletes_nothing_then_prune_does(app, runner, session, reports):
    dry = runner.invoke(args=["reports", "prune", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 report PDF(s) older than 365 days would be deleted." in dry.output
    assert _file(app, reports["old"]).exists() and _file(app, reports["other"]).exists()
    done = runner.invoke(args=["reports", "prune", "--days", "5"])
    assert "3 report PDF(s) older than 5 days deleted." in done.output
    assert not any(Path(app.config["REPORTS_DIR"]).rglob("*.pdf"))
    again = runner.invoke(args=["reports", "prune", "--days", "5"])
    assert "0 report PDF(s)" in again.output


def test_retention_defaults_to_the_setting(app, runner, session, reports):
    app.config["REPORT_RETENTION_DAYS"] = 450
    result = runner.invoke(args=["reports", "prune"])
    assert "1 report PDF(s) older than 450 days deleted." in result.output
    assert not _file(app, reports["other"]).exists() and _file(app, reports["old"]).exists()


def test_an_expired_report_is_listed_without_download(app, client, runner, session, reports):
    runner.invoke(args=["reports", "prune"])
    sign_in_fast(app, client, "auditor@gammal.test")
    company = reports["old"].company_id
    page = client.get(f"/c/{company}/reports").get_data(as_text=True)
    row = page[page.index(f'id="report-{reports["old"].id}"') :].split("</tbody>")[0]
    assert "PDF deleted" in row and "Download PDF" not in row
    assert "<span>00000000</span><wbr>" * 7 + "<span>00000400</span></code>" in row  # kept, whole
    gone = client.get(f"/c/{company}/reports/{reports['old'].id}/download")
    assert gone.status_code == 404
