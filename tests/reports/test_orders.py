"""Ordering reports: a year at the most, by name, by auditors too (in their language), and a
report whose period's data changed since it was built says so and is rebuilt in one click."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.reports import service
from app.reports.data import Scope
from app.reports.models import Report
from tests.factories import make_user
from tests.reports.sample import add_closure, variant

HTMX = {"HX-Request": "true"}
FORM = {"start": "2026-10-01", "end": "2026-10-31", "language": "en"}


def url(month, tail: str = "") -> str:
    """A path under the company's reports."""
    return f"/c/{month.company.id}/reports{tail}"


@pytest.fixture
def auditor(session: Session, month) -> str:
    """The company's auditor, who reads Swedish."""
    user = make_user(session, "revisor@cafe.se", month.company, "auditor", locale="sv")
    user.name = "Rut Revisor"
    session.add(user)
    session.commit()
    return user.email


def test_the_longest_period_is_a_year(app) -> None:
    assert service.longest_end(date(2026, 1, 1)) == date(2026, 12, 31)
    assert service.longest_end(date(2026, 10, 15)) == date(2027, 10, 14)
    assert service.longest_end(date(2024, 2, 29)) == date(2025, 2, 28)


def test_a_period_longer_than_a_year_is_refused_beside_the_field(
    client, auth, session, month
) -> None:
    auth.login("anna@cafe.se")
    thirteen = {**FORM, "start": "2026-01-01", "end": "2027-01-31"}
    answer = client.post(url(month), data=thirteen, headers=HTMX)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "<html" not in html
    field = html.split('<label class="field__label" for="end">', 1)[1].split("</div>", 1)[0]
    tag = field.split("<input", 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true"' in tag and 'aria-describedby="end-errors"' in tag
    end = field.split(">", 1)[1]
    assert '<ul class="field__errors" id="end-errors">' in end
    assert "A report covers a year at the most: choose 2026-12-31 or earlier" in end
    assert session.exec(select(Report)).all() == []
    year = {**FORM, "start": "2026-01-01", "end": "2026-12-31"}
    assert client.post(url(month), data=year).status_code == 303


def test_the_command_line_refuses_more_than_a_year_too(runner, month, tmp_path) -> None:
    result = runner.invoke(
        args=["reports", "build", "--company", "556677-8899", "--from", "2026-01-01",
              "--to", "2027-01-31", "--out", str(tmp_path / "x.pdf")]
    )  # fmt: skip
    assert result.exit_code != 0
    assert "A report covers a year at the most: --to 2026-12-31 or earlier." in result.output


def test_ordered_by_shows_the_persons_name(client, auth, session, month) -> None:
    auth.login("anna@cafe.se")
    client.post(url(month), data=FORM)
    report = session.exec(select(Report)).one()
    assert report.ordered_by_name == "Anna"
    row = client.get(url(month, f"/{report.id}"), headers=HTMX).get_data(as_text=True)
    assert '<td class="report__who" title="anna@cafe.se">Anna</td>' in row


def test_an_auditor_orders_a_swedish_report(
    client, auth, session, month, auditor, run_jobs, tmp_path: Path
) -> None:
    auth.login(auditor)
    page = client.get(url(month)).get_data(as_text=True)
    assert 'id="order-report"' in page and 'name="language"' in page
    answer = client.post(url(month), data={**FORM, "language": "sv"})
    assert answer.status_code == 303
    run_jobs(("reports",))
    report = session.exec(select(Report)).one()
    assert (report.status, report.language, report.ordered_by_name) == ("done", "sv", "Rut Revisor")
    pdf = client.get(url(month, f"/{report.id}/download"))
    assert pdf.status_code == 200
    path = tmp_path / "sv.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Revisionsrapport" in text and "Beställd av" in text
    assert "Rut Revisor (revisor@cafe.se)" in text
    assert "Audit report" not in text
    ordered = session.exec(select(AuditEvent).where(AuditEvent.action == "report.ordered")).one()
    assert ordered.actor == "revisor@cafe.se" and ordered.detail["language"] == "sv"


def test_a_store_manager_still_may_not_order(client, auth, session, month) -> None:
    make_user(session, "sm@cafe.se", month.company, "store_manager", stores=month.stores[:1])
    auth.login("sm@cafe.se")
    assert client.post(url(month), data=FORM).status_code == 403


def test_a_report_built_before_a_new_closure_is_out_of_date_and_rebuilt(
    client, auth, session, month, run_jobs
) -> None:
    auth.login("anna@cafe.se")
    client.post(url(month), data=FORM)
    run_jobs(("reports",))
    old = session.exec(select(Report)).one()
    row = client.get(url(month, f"/{old.id}"), headers=HTMX).get_data(as_text=True)
    assert "Ready" in row and "Out of date" not in row and "Rebuild" not in row

    late = variant(month.stores[0], date(2026, 10, 31), 2000, 1)  # a second Z that day
    add_closure(session, month.company, month.stores[0], late, voucher=7000)
    session.commit()
    page = client.get(url(month)).get_data(as_text=True)
    mine = page.split(f'id="report-{old.id}"', 1)[1].split("</tbody>", 1)[0]
    assert 'data-stale="true"' in mine and "Out of date" in mine
    assert "its fingerprint no longer matches the data" in mine
    assert f'action="{url(month, f"/{old.id}/rebuild")}"' in mine

    answer = client.post(url(month, f"/{old.id}/rebuild"), headers=HTMX)
    assert answer.status_code == 200 and 'id="reports-panel"' in answer.get_data(as_text=True)
    run_jobs(("reports",))
    new = session.exec(select(Report).where(Report.id != old.id)).one()
    assert (new.status, new.period_start, new.period_end, new.language) == (
        "done", old.period_start, old.period_end, old.language
    )  # fmt: skip
    assert new.fingerprint != old.fingerprint
    page = client.get(url(month)).get_data(as_text=True)
    fresh = page.split(f'id="report-{new.id}"', 1)[1].split("</tbody>", 1)[0]
    assert "Ready" in fresh and "Out of date" not in fresh
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "report.ordered", AuditEvent.target
                                 == f"report:{new.id}")
    ).one()  # fmt: skip
    assert event.detail["rebuilds"] == old.id


def test_only_a_built_report_is_rebuilt(client, auth, month, listed) -> None:
    queued = listed(status="queued")
    auth.login("anna@cafe.se")
    assert client.post(url(month, f"/{queued.id}/rebuild")).status_code == 404


def test_the_pages_reading_of_the_data_matches_the_builds(session, month) -> None:
    """fingerprint.current reads columns only; it must agree with what a build fingerprints."""
    from app.reports.data import report_rows, store_days, stores_of
    from app.reports.fingerprint import current, fingerprint, proof_of

    for scope in (month.scope, Scope(month.company.id, date(2026, 10, 5), date(2026, 10, 20),
                                     (month.stores[1].id,))):  # fmt: skip
        codes = [s.store_id for s in stores_of(session, scope)]
        rows, days = report_rows(session, scope), store_days(session, scope, codes)
        assert any(r.reversal for r in rows) or scope.store_ids
        proof = proof_of(session, scope, codes)
        built = fingerprint(month.company.orgnr, scope, codes, rows, days, proof)
        assert current(session, month.company.orgnr, scope) == built
