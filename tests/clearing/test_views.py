"""The money-arrived page, its drill-down, manual matching, store scoping and the JSON API."""

from __future__ import annotations

import re
from datetime import date

from flask.testing import FlaskClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.bank.models import BankEntry
from app.clearing.models import ClearingDay, ClearingPayout
from app.companies.models import Company, Store
from tests.clearing.month import MISSING, SHORT_CASH, Month
from tests.closures.ingest_support import bearer, make_token
from tests.factories import make_user


def test_the_import_matched_the_month(session: Session, company: Company, month: Month) -> None:
    rows = session.exec(select(ClearingDay).where(ClearingDay.company_id == company.id)).all()
    assert len(rows) == 2 * len(month.card)  # the bank-imported event ran the matching


def test_accountant_sees_the_month_and_the_findings(
    client: FlaskClient, company: Company, january_page: str
) -> None:
    page = january_page
    assert 'id="account-1580"' in page and 'id="account-1910"' in page
    assert 'data-kind="payout_missing"' in page and 'data-kind="deposit_short"' in page
    assert MISSING in page and "Short by" in page and 'data-status="late"' in page
    part = client.get(f"/c/{company.id}/clearing?month=2026-01", headers={"HX-Request": "true"})
    assert b"<html" not in part.data and b'id="clearing-month"' in part.data
    detail = client.get(f"/c/{company.id}/clearing/day/S01/2026-01-21/CARD").get_data(as_text=True)
    assert 'data-status="settled"' in detail and "Refunded" in detail
    assert detail.count("ADYEN NV PAYOUT") == 2  # the split payout's two credits


FINDING = re.compile(r'<li data-kind="(\w+)">(.*?)</li>', re.S)
LINK = re.compile(r'class="clearing-finding-link" href="([^"]+)"')


def test_every_finding_leads_to_the_day_that_shows_its_cause(
    client: FlaskClient, january_page: str
) -> None:
    findings = FINDING.findall(january_page)
    assert {"payout_missing", "deposit_short"} <= {kind for kind, _li in findings}
    links: dict[str, str] = {}
    for kind, li in findings:
        found = LINK.search(li)
        assert found, f"the {kind} finding has no link: {li}"
        links.setdefault(kind, found.group(1))
        assert client.get(found.group(1)).status_code == 200
    # The missing payout: its first store-day, whose lines it carries and which the bank lacks.
    assert links["payout_missing"].endswith("/day/S01/2026-01-12/CARD")
    missing = client.get(links["payout_missing"]).get_data(as_text=True)
    assert f"{MISSING}: expected" in missing and "not in the bank" in missing
    assert 'id="day-lines"' in missing and missing.count(MISSING) > 1
    # The short deposit: the second store's cash of the deposit's last day, which bears the lack.
    assert "/day/S02/" in links["deposit_short"] and links["deposit_short"].endswith("/CASH")
    short = client.get(links["deposit_short"]).get_data(as_text=True)
    assert 'data-status="short"' in short and "Short by SEK\xa0500.00" in short
    assert "in the bank SEK\xa01,071.00" in short  # the deposit that lacks it


def test_a_store_manager_sees_only_their_cash_not_in_the_bank(
    client: FlaskClient, auth, session: Session, company: Company, month: Month
) -> None:
    s02 = session.exec(select(Store).where(Store.store_id == "S02")).one()
    make_user(session, "mgr@example.com", company, "store_manager", stores=[s02])
    auth.login("mgr@example.com")
    page = client.get(f"/c/{company.id}/clearing?month=2026-01").get_data(as_text=True)
    assert "account-1580" not in page and "day-S01-" not in page
    assert 'id="day-S02-2026-01-18"' in page and 'data-method="CARD"' not in page
    assert client.get(f"/c/{company.id}/clearing/day/S01/2026-01-18/CASH").status_code == 404
    assert client.get(f"/c/{company.id}/clearing/day/S02/2026-01-12/CARD").status_code == 404
    assert client.get(f"/c/{company.id}/clearing/day/S02/2026-01-18/CASH").status_code == 200


def test_manual_match_and_unmatch_are_audited(
    client: FlaskClient, auth, session: Session, company: Company, month: Month
) -> None:
    make_user(session, "acc@example.com", company, "accountant")
    auth.login("acc@example.com")
    credit = session.exec(
        select(BankEntry).where(BankEntry.remittance.contains(" B2026-02 "))
    ).one()
    url = f"/c/{company.id}/clearing/entries/{credit.id}"
    answer = client.post(url, data={"action": "unmatch", "month": "2026-01"})
    assert answer.status_code == 303
    session.expire_all()
    page = client.get(f"/c/{company.id}/clearing?month=2026-01").get_data(as_text=True)
    assert f'id="entry-{credit.id}"' in page  # now a credit nothing explains
    client.post(url, data={"action": "match", "target": f"payout:{MISSING}", "month": "2026-01"})
    session.expire_all()
    payout = session.exec(select(ClearingPayout).where(ClearingPayout.reference == MISSING)).one()
    assert payout.how == "manual" and payout.entry_ids == [credit.id]
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.company_id == company.id))
    assert {"clearing.unmatch", "clearing.match"} <= set(actions)
    refused = client.post(url, data={"action": "match", "target": "", "month": "2026-01"})
    assert refused.status_code == 422


def test_api_returns_the_roll_forward_and_unmatched_items(
    client: FlaskClient, session: Session, company: Company, month: Month
) -> None:
    headers = bearer(make_token(session, company))
    body = client.get("/api/v1/clearing?from=2026-01-01&to=2026-02-28", headers=headers).json
    card = [r for r in body["roll_forward"] if r["account"] == "1580"]
    assert [r["from"] for r in card] == ["2026-01-01", "2026-02-01"]
    assert card[1]["closing"] == card[1]["difference"] == str(month.payouts[MISSING])
    assert card[0]["unexplained"] == "0.00" and isinstance(card[0]["fees"]["amount"], str)
    cash = [r for r in body["roll_forward"] if r["account"] == "1910"][0]
    assert [f["amount"] for f in cash["findings"]] == [str(SHORT_CASH)]
    assert [p["reference"] for p in body["unmatched"]["payouts"]] == [MISSING]
    late = {(d["store"], d["day"]) for d in body["unmatched"]["days"] if d["status"] == "late"}
    assert ("S01", date(2026, 1, 12).isoformat()) in late
    assert client.get("/api/v1/clearing").status_code == 401
    bad = client.get("/api/v1/clearing?from=2026-13-01", headers=headers)
    assert bad.status_code == 422
