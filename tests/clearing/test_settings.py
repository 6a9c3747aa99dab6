"""The clearing settings page: who may edit, what is refused, and what an alias changes."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.bank.models import SettlementLine
from app.clearing.models import ClearingAlias, ClearingDay, ClearingSetting
from app.clearing.service import recompute
from app.companies.models import Company
from tests.clearing.month import Month
from tests.factories import make_user


def _url(company: Company) -> str:
    return f"/c/{company.id}/clearing/settings"


def _form(client: FlaskClient, company: Company, **data: str):
    return client.post(_url(company), data=data)


def test_an_auditor_reads_but_may_not_edit(
    client: FlaskClient, auth, session: Session, company: Company, month: Month
) -> None:
    make_user(session, "aud@example.com", company, "auditor")
    auth.login("aud@example.com")
    page = client.get(_url(company)).get_data(as_text=True)
    assert (
        'id="late-after"' in page and "disabled" in page and 'name="what" value="add"' not in page
    )
    assert _form(client, company, what="late_after", late_after="7").status_code == 403
    assert session.get(ClearingSetting, company.id) is None


def test_late_after_is_validated_saved_and_audited(
    client: FlaskClient, auth, session: Session, company: Company, month: Month
) -> None:
    make_user(session, "acc@example.com", company, "accountant")
    auth.login("acc@example.com")
    for bad in ("0", "31", "five", ""):
        refused = _form(client, company, what="late_after", late_after=bad)
        text = refused.get_data(as_text=True)
        assert (
            refused.status_code == 422 and "from 1 to 30" in text and 'aria-invalid="true"' in text
        )
    assert _form(client, company, what="late_after", late_after="8").status_code == 303
    session.expire_all()
    assert session.get(ClearingSetting, company.id).late_after == 8
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "clearing.late_after_saved")
    ).one()
    assert event.detail == {"before": 5, "after": 8}


def test_an_alias_settles_the_terminals_day(
    client: FlaskClient, auth, session: Session, company: Company, month: Month
) -> None:
    day = session.exec(
        select(ClearingDay).where(
            ClearingDay.store_code == "S01",
            ClearingDay.method == "CARD",
            ClearingDay.status == "settled",
        )
    ).first()
    assert day is not None
    for line in session.exec(select(SettlementLine).where(SettlementLine.id.in_(day.line_ids))):
        line.store = "T9"
        session.add(line)
    recompute(session, company.id)
    session.commit()

    def status() -> str:
        session.expire_all()
        row = session.exec(
            select(ClearingDay).where(
                ClearingDay.store_code == "S01",
                ClearingDay.business_date == day.business_date,
                ClearingDay.method == "CARD",
            )
        ).one()
        return row.status

    assert status() != "settled"
    make_user(session, "acc@example.com", company, "accountant")
    auth.login("acc@example.com")
    page = client.get(_url(company)).get_data(as_text=True)
    assert 'data-word="T9"' in page
    refused = _form(client, company, what="add", kind="store", word="T9", code="S99")
    assert refused.status_code == 422 and "Choose one of the company" in refused.get_data(
        as_text=True
    )
    assert (
        _form(client, company, what="add", kind="store", word="T9", code="S01").status_code == 303
    )
    assert status() == "settled"
    assert 'data-word="T9"' not in client.get(_url(company)).get_data(as_text=True)
    twice = _form(client, company, what="add", kind="store", word="t9", code="S02")
    assert twice.status_code == 422 and "already read as S01" in twice.get_data(as_text=True)
    alias = session.exec(select(ClearingAlias).where(ClearingAlias.word == "T9")).one()
    assert _form(client, company, what="remove", alias_id=str(alias.id)).status_code == 303
    assert status() != "settled"
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.company_id == company.id))
    assert {"clearing.alias_added", "clearing.alias_removed"} <= set(actions)


def test_the_clearing_page_links_the_settings(company: Company, january_page: str) -> None:
    page = january_page
    assert f'href="{_url(company)}"' in page and 'class="card clearing-filters"' in page
