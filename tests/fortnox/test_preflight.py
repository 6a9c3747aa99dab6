"""Each pre-flight line turns red when the sandbox's books change, and green again."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlmodel import Session

from app.fortnox import preflight
from app.fortnox.checks import Check
from app.mapping.models import MappingVersion
from app.mapping.schema import bas_default
from tests.factories import make_store, make_user
from tests.sandbox_fixtures import FortnoxCompany


@pytest.fixture
def mapped(session: Session, fortnox_company: FortnoxCompany) -> FortnoxCompany:
    """The connected company with the BAS default mapping saved."""
    data = bas_default()
    session.add(MappingVersion(company_id=fortnox_company.company.id, version=1, data=data))
    session.commit()
    return fortnox_company


def run(app: Flask, session: Session, fc: FortnoxCompany) -> dict[str, Check]:
    """The checks by key, worded in English."""
    session.expire_all()
    with app.test_request_context(), force_locale("en"):
        return {c.key: c for c in preflight.run_preflight(session, fc.company)}


def red(checks: dict[str, Check]) -> dict[str, str]:
    """The red lines: key -> problem."""
    return {k: c.params.get("problem", "") for k, c in checks.items() if not c.ok}


def test_complete_mapping_is_all_green(app: Flask, session: Session, mapped) -> None:
    checks = run(app, session, mapped)
    assert red(checks) == {}
    assert {"connection", "series", "locked", "mapping", "cost_center:S12"} <= set(checks)
    assert "account:3001" in checks and "scope:bookkeeping" in checks


def test_inactive_account_red_then_green(app: Flask, session: Session, mapped) -> None:
    mapped.fortnox("PUT", "accounts/3001", {"Account": {"Active": False}})
    checks = run(app, session, mapped)
    assert red(checks) == {"account:3001": "inactive"}
    with app.test_request_context(), force_locale("en"):
        assert "inactive" in checks["account:3001"].detail
        assert "Activate" in checks["account:3001"].fix
    mapped.fortnox("PUT", "accounts/3001", {"Account": {"Active": True}})
    assert red(run(app, session, mapped)) == {}


def test_account_refusing_cost_centers_and_missing_account(
    app: Flask, session: Session, mapped
) -> None:
    mapped.fortnox("PUT", "accounts/3740", {"Account": {"CostCenterSettings": "NOTALLOWED"}})
    data = bas_default()
    data["other"]["CASH_DIFFERENCE"] = "3999"
    session.add(MappingVersion(company_id=mapped.company.id, version=2, data=data))
    session.commit()
    expected = {"account:3740": "notallowed", "account:3999": "missing"}
    assert red(run(app, session, mapped)) == expected


def test_series_not_manual_red_then_green(app: Flask, session: Session, mapped) -> None:
    mapped.fortnox("PUT", "voucherseries/A", {"VoucherSeries": {"Manual": False}})
    assert red(run(app, session, mapped)) == {"series": "not_manual"}
    mapped.fortnox("PUT", "voucherseries/A", {"VoucherSeries": {"Manual": True}})
    assert red(run(app, session, mapped)) == {}
    mapped.company.voucher_series = "K"
    session.add(mapped.company)
    session.commit()
    assert red(run(app, session, mapped)) == {"series": "missing"}


def test_locked_period_against_start_date(app: Flask, session: Session, mapped) -> None:
    year = date.today().year
    mapped.company.start_date = date(year, 1, 1)
    session.add(mapped.company)
    session.commit()
    mapped.sandbox.locked_period(mapped.tenant, f"{year}-01-31")
    checks = run(app, session, mapped)
    assert red(checks) == {"locked": ""}
    with app.test_request_context(), force_locale("en"):
        assert f"{year}-01-31" in checks["locked"].detail
    mapped.company.start_date = date(year, 2, 1)
    session.add(mapped.company)
    session.commit()
    assert red(run(app, session, mapped)) == {}
    mapped.sandbox.locked_period(mapped.tenant, None)
    assert red(run(app, session, mapped)) == {}


def test_cost_centers_inactive_or_missing(app: Flask, session: Session, mapped) -> None:
    mapped.fortnox("PUT", "costcenters/S14", {"CostCenter": {"Active": False}})
    make_store(session, mapped.company, "S99", "Ny butik")
    assert red(run(app, session, mapped)) == {
        "cost_center:S14": "inactive",
        "cost_center:S99": "missing",
    }
    mapped.fortnox("PUT", "costcenters/S14", {"CostCenter": {"Active": True}})
    mapped.fortnox("POST", "costcenters", {"CostCenter": {"Code": "S99", "Description": "Ny"}})
    assert red(run(app, session, mapped)) == {}


def test_financial_year_missing_for_a_date(app: Flask, session: Session, mapped) -> None:
    with app.test_request_context(), force_locale("en"):
        checks = {
            c.key: c for c in preflight.run_preflight(session, mapped.company, dates=["2019-06-30"])
        }
    assert red(checks) == {"year:2019-06-30": ""}


def test_scope_not_granted(app: Flask, session: Session, mapped) -> None:
    mapped.company.invoice = True
    session.add(mapped.company)
    session.commit()
    assert red(run(app, session, mapped)) == {"scope:invoice": "scope", "scope:customer": "scope"}


def test_no_mapping_and_no_connection(app: Flask, session: Session, fortnox_company) -> None:
    assert red(run(app, session, fortnox_company)) == {"mapping": "none"}
    conn = preflight.tokens.connection(session, fortnox_company.company.id)
    conn.status = "disconnected"
    session.add(conn)
    session.commit()
    assert red(run(app, session, fortnox_company)) == {"connection": "none"}


def test_rerun_button_stores_and_answers_the_fragment(
    app: Flask, client, auth, session: Session, mapped
) -> None:
    make_user(session, "acc@example.com", mapped.company, "accountant")
    auth.login("acc@example.com")
    url = f"/c/{mapped.company.id}/fortnox/preflight"
    answer = client.post(url, headers={"HX-Request": "true"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<html" not in html and 'id="preflight"' in html
    assert 'data-ok="false"' not in html and 'data-check="account:3001"' in html
    assert "preflight-ran" in answer.headers["HX-Trigger"]
    assert preflight.preflight_ok_for(session, mapped.company.id)

    mapped.fortnox("PUT", "accounts/1910", {"Account": {"Active": False}})
    html = client.post(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'data-check="account:1910" data-ok="false"' in html
    session.expire_all()
    assert not preflight.preflight_ok_for(session, mapped.company.id)
    assert [c.key for c in preflight.failing(session, mapped.company.id)] == ["account:1910"]


def test_mapping_save_refreshes_after_commit(app: Flask, session: Session, mapped) -> None:
    with app.app_context():
        session.add(MappingVersion(company_id=mapped.company.id, version=2, data=bas_default()))
        session.flush()
        assert preflight.refresh_preflight(session, mapped.company.id) is None
        assert preflight.stored(session, mapped.company.id) == []
        session.commit()
    session.expire_all()
    assert preflight.preflight_ok_for(session, mapped.company.id)


def test_nightly_job(app: Flask, session: Session, mapped, run_jobs) -> None:
    from app.queue import get_queue

    with app.app_context():
        get_queue("reconcile").enqueue("worker.jobs.fortnox.nightly_preflight", mapped.company.id)
    run_jobs()
    session.expire_all()
    assert preflight.preflight_ok_for(session, mapped.company.id)


@pytest.mark.parametrize(
    ("check", "stops"),
    [
        (Check("cost_center:S14", False, "cost_center", {"store": "S14"}), False),
        (Check("cost_center:S12", False, "cost_center", {"store": "S12"}), True),
        (Check("year:2026-11-30", False, "year", {"date": "2026-11-30"}), False),
        (Check("year:2026-03-02", False, "year", {"date": "2026-03-02"}), True),
        (Check("locked", False, "locked", {"end": "2026-02-28", "first": "2026-01-01"}), False),
        (Check("locked", False, "locked", {"end": "2026-03-31", "first": "2026-01-01"}), True),
        (Check("account:3001", False, "account", {"number": "3001"}), True),
        (Check("account:3001", True, "account", {"number": "3001"}), False),
        (Check("unavailable", False, "unavailable", {"m": "timeout"}), False),
    ],
)
def test_only_red_lines_about_the_closures_store_and_day_stop_its_post(check, stops) -> None:
    assert preflight._stops(check, "S12", date(2026, 3, 2)) is stops
