"""`flask companies configure` and apply_settings: validated, audited, re-checked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlmodel import Session, select

from app import events
from app.audit.models import AuditEvent
from app.companies.configure import SettingsInvalid, apply_settings
from app.companies.models import Company
from tests.factories import make_company


@pytest.fixture(autouse=True)
def _app_context(app: Flask) -> Iterator[None]:
    """Services run inside the app, as views and commands call them."""
    with app.app_context():
        yield


@pytest.fixture
def company(session: Session) -> Company:
    """A company with default settings."""
    return make_company(session)


def configure(runner: FlaskCliRunner, *args: str):
    """Run `flask companies configure --company 556677-8899 ...`."""
    return runner.invoke(args=["companies", "configure", "--company", "556677-8899", *args])


def test_configure_changes_settings_and_audits_before_after(
    runner: FlaskCliRunner, session: Session, company: Company
) -> None:
    result = configure(
        runner,
        "--sync-sales", "off",
        "--approve-first", "on",
        "--invoice", "on",
        "--tip-on-invoice", "on",
        "--use-order", "on",
        "--series", "k",
        "--start-date", "2026-01-01",
        "--cash-threshold", "50.5",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "sync-sales on -> off" in result.output and "series A -> K" in result.output
    session.expire_all()
    stored = session.get(Company, company.id)
    assert (stored.sync_sales, stored.approve_first, stored.invoice) == (False, True, True)
    assert (stored.tip_on_invoice, stored.use_order, stored.voucher_series) == (True, True, "K")
    assert stored.start_date == date(2026, 1, 1)
    assert stored.cash_threshold == Decimal("50.50")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "settings.changed")).one()
    assert event.actor == "cli"
    assert (
        event.detail["before"]["sync_sales"] is True
        and event.detail["after"]["sync_sales"] is False
    )
    assert event.detail["after"]["cash_threshold"] == "50.50"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--series", "A B"], "voucher series code"),
        (["--start-date", "2026-13-01"], "YYYY-MM-DD"),
        (["--cash-threshold", "-1"], "0 or more"),
        (["--cash-threshold", "ten"], "amount in SEK"),
        (["--cash-threshold", "1.005"], "at most 2 decimals"),
        (["--cash-threshold", "NaN"], "0 or more"),
        (["--use-order", "on"], "needs Invoice on"),
        (["--tip-on-invoice", "on"], "needs Invoice on"),
        (["--sync-sales", "maybe"], "on"),
        ([], "at least one setting"),
    ],
)
def test_bad_input_changes_nothing_and_says_why(
    runner: FlaskCliRunner, session: Session, company: Company, args: list[str], says: str
) -> None:
    result = configure(runner, *args)
    assert result.exit_code != 0 and says in result.output
    session.expire_all()
    stored = session.get(Company, company.id)
    assert (stored.voucher_series, stored.use_order, stored.cash_threshold) == (
        "A",
        False,
        Decimal("100.00"),
    )
    assert (
        session.exec(select(AuditEvent).where(AuditEvent.action == "settings.changed")).all() == []
    )


def test_unknown_company(runner: FlaskCliRunner, company: Company) -> None:
    result = runner.invoke(
        args=["companies", "configure", "--company", "556000-0000", "--invoice", "on"]
    )
    assert result.exit_code != 0 and "No company" in result.output


def test_turning_invoice_off_under_use_order_is_refused_unless_both(
    session: Session, company: Company
) -> None:
    apply_settings(session, company=company, changes={"invoice": True, "use_order": True})
    with pytest.raises(SettingsInvalid) as caught:
        apply_settings(session, company=company, changes={"invoice": "off"})
    assert set(caught.value.problems) == {"use_order"}
    diff = apply_settings(session, company=company, changes={"invoice": "off", "use_order": "off"})
    assert diff == {"invoice": (True, False), "use_order": (True, False)}


def test_apply_settings_reports_every_problem_and_unknown_fields(
    session: Session, company: Company
) -> None:
    with pytest.raises(SettingsInvalid) as caught:
        apply_settings(
            session,
            company=company,
            changes={"colour": "red", "language": "de", "voucher_series": ""},
        )
    assert set(caught.value.problems) == {"colour", "language", "voucher_series"}


def test_a_change_reruns_preflight_and_holds_and_no_change_does_not(
    session: Session, company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setitem(
        events._subscribers,
        events.BOOKS_CHANGED,
        [lambda s, c: calls.append("p"), lambda s, c: calls.append("h")],
    )
    assert apply_settings(session, company=company, changes={"approve_first": True}) == {
        "approve_first": (False, True)
    }
    assert calls == ["p", "h"]
    assert apply_settings(session, company=company, changes={"approve_first": "on"}) == {}
    assert calls == ["p", "h"]
