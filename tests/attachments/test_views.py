"""The closure page links its Z-report; the APIs say whether it is on the voucher."""

from __future__ import annotations

from sqlmodel import select

from app.attachments.models import AttachState, ZAttachment
from tests.attachments.conftest import fixture, sent_pdf, with_z_report
from tests.closures.ingest_support import bearer, make_token
from tests.factories import make_user


def test_the_api_shows_the_file_and_that_it_is_connected(
    client, session, books, post, attach
) -> None:
    closure = post(with_z_report())
    headers = bearer(make_token(session, books.company))
    url = f"/api/v1/closures/{closure.closure_id}"
    before = client.get(url, headers=headers).get_json()["attachment"]
    assert before == {"file_id": None, "connected": False, "state": "pending", "reason": None}
    attach(closure.id)
    after = client.get(url, headers=headers).get_json()["attachment"]
    file_id = session.exec(select(ZAttachment.file_id)).one()
    assert after == {"file_id": file_id, "connected": True, "state": "connected", "reason": None}


def test_a_closure_without_a_voucher_has_no_attachment(client, session, books, receive) -> None:
    closure = receive(books.company, fixture("cafe-full-day"))  # received, not posted
    headers = bearer(make_token(session, books.company))
    body = client.get(f"/api/v1/closures/{closure.closure_id}", headers=headers).get_json()
    assert body["attachment"] is None


def test_an_unattached_posted_voucher_is_a_finding_in_the_reconciliation_api(
    client, session, books, post, attach
) -> None:
    closure = post(with_z_report())
    headers = bearer(make_token(session, books.company))
    url = "/api/v1/reconciliation?from=2026-11-01&to=2026-11-30"
    (finding,) = client.get(url, headers=headers).get_json()["unattached"]
    assert finding["closure_id"] == closure.closure_id and finding["z_number"] == 458
    assert finding["voucher"] == f"{closure.voucher_series}{closure.voucher_number}"
    assert finding["state"] == "pending"
    books.sandbox.licences(books.tenant, archive=False)
    attach(closure.id)
    (finding,) = client.get(url, headers=headers).get_json()["unattached"]
    assert finding["state"] == "failed" and "licence" in finding["reason"]
    books.sandbox.licences(books.tenant, archive=True)
    attach(closure.id)
    assert client.get(url, headers=headers).get_json()["unattached"] == []


def test_the_closure_page_links_the_original_and_shows_the_finding_until_attached(
    client, auth, session, books, post, attach
) -> None:
    payload = with_z_report()
    closure = post(payload)
    make_user(session, "acc@example.com", books.company, "accountant")
    auth.login("acc@example.com")
    page = f"/c/{books.company.id}/closures/{closure.id}"
    html = client.get(page).get_data(as_text=True)
    link = f"/c/{books.company.id}/closures/{closure.id}/zreport.pdf"
    assert f'href="{link}"' in html and 'id="zreport-state"' in html
    assert "Finding:</span> waiting to be attached to the voucher" in html
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data == sent_pdf(payload)
    assert "Z458-S12-R1-2026-11-25.pdf" in pdf.headers["Content-Disposition"]
    attach(closure.id)
    html = client.get(page).get_data(as_text=True)
    assert "Finding:" not in html and "Attached to the voucher in Fortnox" in html


def test_the_page_says_why_it_is_not_attached_and_in_swedish(
    client, auth, session, books, post, attach
) -> None:
    from tests.sandbox_fixtures import connect_company

    with client.application.app_context():
        scope = "bookkeeping costcenter companyinformation settings customer invoice order"
        connect_company(session, books.company, books.sandbox, books.tenant, scope)
    closure = post(fixture("cafe-full-day"))
    assert attach(closure.id) == "failed"
    make_user(session, "sv@example.com", books.company, "accountant", locale="sv")
    auth.login("sv@example.com")
    html = client.get(f"/c/{books.company.id}/closures/{closure.id}").get_data(as_text=True)
    assert "Anmärkning:</span> inte kopplad till verifikationen" in html
    assert "“Arkiv”, “Filkopplingar”" in html and "bara Z-rapporten väntar" in html
    assert "renderad av Kassabok från dagsavslutet" in html
    assert session.exec(select(ZAttachment.state)).one() == AttachState.FAILED


def test_another_companys_z_report_is_404(client, auth, session, books, post) -> None:
    from tests.factories import make_company

    closure = post(with_z_report())
    other = make_company(session, "Annan AB", "556000-0099")
    make_user(session, "other@example.com", other, "admin")
    auth.login("other@example.com")
    assert client.get(f"/c/{other.id}/closures/{closure.id}/zreport.pdf").status_code == 404
    assert client.get(f"/c/{books.company.id}/closures/{closure.id}/zreport.pdf").status_code == 404
