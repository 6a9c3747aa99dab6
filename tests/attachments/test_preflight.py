"""A missing file permission or archive licence is a pre-flight line with its fix, never a hold."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from sqlmodel import Session

from app.fortnox import oauth, preflight
from app.fortnox.checks import Check
from tests.sandbox_fixtures import connect_company

WITHOUT_FILES = "bookkeeping costcenter companyinformation settings customer invoice order"


def _run(app, session: Session, books) -> tuple[dict[str, Check], dict[str, str]]:
    """The lines by key, and each line's fix in English."""
    session.expire_all()
    with app.test_request_context(), force_locale("en"):
        checks = {c.key: c for c in preflight.run_preflight(session, books.company)}
        return checks, {key: check.fix for key, check in checks.items()}


def test_the_consent_asks_for_the_archive_and_file_connections(app, books) -> None:
    with app.app_context():
        assert {"archive", "connectfile"} <= set(oauth.required_scopes(books.company))


def test_a_connection_without_them_gets_a_red_line_each_with_its_fix(app, session, books) -> None:
    with app.app_context():
        connect_company(session, books.company, books.sandbox, books.tenant, WITHOUT_FILES)
    checks, fixes = _run(app, session, books)
    for scope, name in (("archive", "Archive"), ("connectfile", "File connections")):
        line, fix = checks[f"scope:{scope}"], fixes[f"scope:{scope}"]
        assert not line.ok and line.level == "red" and line.params["problem"] == "scope"
        assert f"grants the “{name}” permission" in fix
        assert "Until then vouchers are posted without their Z-reports." in fix
    lines = list(checks.values())
    stopping = [c for c in lines if preflight._stops(c, "S12", date.today())]
    assert stopping == []  # posting goes on: only the Z-reports wait


def test_without_the_archive_licence_the_lines_say_licence(app, session, books) -> None:
    books.sandbox.licences(books.tenant, archive=False)
    checks, fixes = _run(app, session, books)
    assert checks["scope:archive"].params["problem"] == "licence"
    assert checks["scope:connectfile"].params["problem"] == "licence"
    assert "Add the licence for Archive in Fortnox" in fixes["scope:archive"]
    books.sandbox.licences(books.tenant, archive=True)
    checks, _fixes = _run(app, session, books)
    assert checks["scope:archive"].ok and checks["scope:connectfile"].ok


def test_a_red_file_line_does_not_hold_a_closure(app, session, books, post) -> None:
    from tests.attachments.conftest import with_z_report

    with app.app_context():
        connect_company(session, books.company, books.sandbox, books.tenant, WITHOUT_FILES)
        preflight.run_and_store(books.company.id)
    session.expire_all()
    assert not all(c.ok for c in preflight.stored(session, books.company.id))
    closure = post(with_z_report())  # posted all the same
    assert closure.voucher_number is not None
