"""Ordering, watching, listing and downloading reports; who may do which; duplicates refused."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.audit.models import AuditEvent
from app.reports.models import Report
from tests.factories import make_user

FORM = {"start": "2026-10-01", "end": "2026-10-31", "language": "en"}
HTMX = {"HX-Request": "true"}


def grouped(fingerprint: str) -> str:
    """A fingerprint as the list writes it: groups of eight digits, a line may break between."""
    return "<wbr>".join(f"<span>{fingerprint[at : at + 8]}</span>" for at in range(0, 64, 8))


def url(month, tail: str = "") -> str:
    """A path under the company's reports."""
    return f"/c/{month.company.id}/reports{tail}"


@pytest.fixture
def people(session, month) -> dict[str, str]:
    """One user per role in the month's company (anna@cafe.se is its accountant)."""
    emails = {"accountant": "anna@cafe.se"}
    for role in ("admin", "auditor", "store_manager"):
        emails[role] = f"{role}@cafe.se"
        stores = month.stores[:1] if role == "store_manager" else None
        make_user(session, emails[role], month.company, role, stores=stores)
    make_user(session, "stranger@elsewhere.se")
    emails["stranger"] = "stranger@elsewhere.se"
    return emails


@pytest.mark.parametrize(
    ("role", "code"),
    [("admin", 200), ("accountant", 200), ("auditor", 200), ("store_manager", 403),
     ("stranger", 404)],
)  # fmt: skip
def test_who_sees_the_reports_page(client, auth, month, people, role, code) -> None:
    """Admins, accountants and auditors see it; store managers get 403, strangers 404."""
    auth.login(people[role])
    assert client.get(url(month)).status_code == code


def test_auditor_may_order_and_store_manager_gets_403(client, auth, month, people) -> None:
    """Accountants, admins and auditors order reports; store managers do not."""
    auth.login(people["auditor"])
    page = client.get(url(month)).get_data(as_text=True)
    assert "Build the report" in page
    assert client.post(url(month), data=FORM).status_code == 303
    auth.logout()
    auth.login(people["store_manager"])
    assert client.post(url(month), data=FORM).status_code == 403


def test_order_build_list_and_download(client, auth, session, month, people, run_jobs) -> None:
    """An accountant orders; the job builds it; an auditor downloads it, and that is audited."""
    auth.login(people["accountant"])
    answer = client.post(url(month), data=FORM)
    assert answer.status_code == 303
    report = session.exec(select(Report)).one()
    assert (report.status, report.ordered_by_name, report.active_key is not None) == (
        "queued", "Anna", True
    )  # fmt: skip
    row = client.get(url(month, f"/{report.id}"), headers=HTMX).get_data(as_text=True)
    assert 'hx-trigger="load delay:1s"' in row and "<progress" in row and "<html" not in row
    run_jobs(("reports",))
    session.refresh(report)
    assert (report.status, report.progress, report.active_key) == ("done", 100, None)
    assert len(report.fingerprint) == 64 and report.size > 10_000
    row = client.get(url(month, f"/{report.id}"), headers=HTMX).get_data(as_text=True)
    assert "hx-trigger" not in row and "Download PDF" in row
    auth.logout()
    auth.login(people["auditor"])
    page = client.get(url(month)).get_data(as_text=True)
    assert "anna@cafe.se" in page and grouped(report.fingerprint) in page
    pdf = client.get(url(month, f"/{report.id}/download"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "kassabok-556677-8899-2026-10-01-2026-10-31-en.pdf" in pdf.headers["Content-Disposition"]
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "report.downloaded")).all()
    assert [(e.actor, e.detail["fingerprint"]) for e in events] == [
        ("auditor@cafe.se", report.fingerprint)
    ]


def test_same_order_twice_is_refused_politely(client, auth, session, month, people, run_jobs):
    """While one runs the same order is refused (409, no new row); once done it may be ordered."""
    auth.login(people["accountant"])
    assert client.post(url(month), data=FORM).status_code == 303
    again = client.post(url(month), data=FORM, headers=HTMX)
    assert again.status_code == 409 and "already queued or being built" in again.get_data(True)
    other = client.post(url(month), data={**FORM, "language": "sv"})
    assert other.status_code == 303  # a different order runs alongside
    assert len(session.exec(select(Report)).all()) == 2
    run_jobs(("reports",))
    assert client.post(url(month), data=FORM).status_code == 303
    run_jobs(("reports",))
    done = session.exec(select(Report).where(Report.language == "en")).all()
    assert [r.status for r in done] == ["done", "done"]
    assert done[0].fingerprint == done[1].fingerprint  # same data, another order time


def test_bad_period_is_refused_with_the_form(client, auth, month, people) -> None:
    """An end before the start comes back as the form with its error."""
    auth.login(people["admin"])
    answer = client.post(url(month), data={**FORM, "end": "2026-09-01"}, headers=HTMX)
    assert answer.status_code == 422
    assert "ends before it starts" in answer.get_data(as_text=True)


def test_cli_builds_a_report(runner, session, month, tmp_path) -> None:
    """`flask reports build` writes the file and stores the report like an ordered one."""
    out = tmp_path / "october.pdf"
    result = runner.invoke(
        args=["reports", "build", "--company", "556677-8899", "--from", "2026-10-01",
              "--to", "2026-10-31", "--out", str(out), "--lang", "sv", "--store", "S13"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    report = session.exec(select(Report)).one()
    assert report.fingerprint in result.output
    assert (report.status, report.ordered_by_name) == ("done", "cli")
    assert report.store_ids == [month.stores[1].id]
    bad = runner.invoke(args=["reports", "build", "--company", "556677-8899", "--from",
                              "2026-10-01", "--to", "2026-10-31", "--out", str(out),
                              "--store", "NOPE"])  # fmt: skip
    assert bad.exit_code != 0 and "Unknown store" in bad.output


def test_a_live_job_of_the_same_order_refuses_it(app, session, month, people) -> None:
    """The RQ job id is derived from the order: a live job refuses it even without a DB row."""
    from datetime import timedelta

    from app.db import utcnow
    from app.queue import get_queue
    from app.reports import service

    order = service.Order(month.company.id, month.scope.start, month.scope.end, (), "en")
    with app.app_context():
        get_queue("reports").enqueue("worker.jobs.reports.build_report", 0, job_id=order.job_id)
        with pytest.raises(service.DuplicateOrder):
            service.order_report(session, order=order, actor="x")
        get_queue("reports").empty()
        get_queue("reports").connection.delete(f"rq:job:{order.job_id}")
        first = service.order_report(session, order=order, actor="x")
        get_queue("reports").empty()  # the worker died with it: the job is gone
        first.created_at = utcnow() - timedelta(minutes=5)
        session.commit()
        second = service.order_report(session, order=order, actor="y")
    session.refresh(first)
    assert (first.status, first.active_key, second.active_key) == ("failed", None, order.key)


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        ("interrupted: the build stopped", "The build stopped before it was done"),
        ("refused: the same report is running", "The same report was already being built"),
        ("OSError: disk full", "tell your administrator if it fails twice"),
    ],
)
def test_a_failed_report_says_what_to_do(client, auth, month, people, listed, error, shown):
    """The stored reason stays for support (title); the row says what to do, translated."""
    report = listed(status="failed", error=error)
    auth.login(people["auditor"])
    row = client.get(url(month, f"/{report.id}"), headers=HTMX).get_data(as_text=True)
    assert shown in row and f'title="{error}"' in row


def test_the_whole_fingerprint_is_shown_grouped_with_a_copy_button(
    client, auth, month, people, listed
) -> None:
    """All 64 digits, in eight groups of eight as on the PDF's cover; Copy names what it copies."""
    report = listed(status="done", fingerprint="0123456789abcdef" * 4, size=20_000)
    auth.login(people["auditor"])
    page = client.get(url(month)).get_data(as_text=True)
    code = f'<code class="fingerprint" id="fingerprint-{report.id}">'
    assert code + "<span>01234567</span><wbr><span>89abcdef</span><wbr>" in page
    assert code + grouped(report.fingerprint) + "</code>" in page
    assert f'data-copy="#fingerprint-{report.id}"' in page
    assert 'data-copied="Copied">Copy<span class="visually-hidden"> SHA-256</span>' in page
    assert "…" not in page.split('id="reports"')[1]  # nothing cut short
