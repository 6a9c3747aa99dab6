"""The evidence pages: who sees and does what, breaks and their explanations, the VAT page."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.closures.ingest_support import make_token
from tests.evidence.support import day
from tests.evidence.test_breaks import send
from tests.factories import make_company, make_store, make_user

NOV = "2026-11"


@pytest.fixture
def chain(client, session: Session):
    """A company whose S12 register has a jump, a gap and a reset in November; S14 a gap."""
    company = make_company(session)
    s12, s14 = make_store(session, company, "S12"), make_store(session, company, "S14")
    token = make_token(session, company)
    for payload in (
        day(104, "2026-11-02", "1000.00", "0", ("5000.00", "0.00")),
        day(105, "2026-11-03", "1000.00", "0", ("6100.00", "0.00")),
        day(107, "2026-11-05", "1000.00", "0", ("7600.00", "0.00")),
        day(108, "2026-11-06", "10.00", "0", ("10.00", "0.00")),
        day(7, "2026-11-02", store="S14"),
        day(9, "2026-11-04", store="S14"),
    ):
        send(client, token, payload)
    for email, role, stores in (
        ("acc@example.com", "accountant", None),
        ("aud@example.com", "auditor", None),
        ("shop@example.com", "store_manager", [s14]),
    ):
        make_user(session, email, company, role=role, stores=stores)
    return company, s12


def test_the_chain_page_shows_each_break_and_what_it_means(client, auth, chain) -> None:
    company, _s12 = chain
    auth.login("aud@example.com")
    page = client.get(f"/c/{company.id}/evidence/chain?month={NOV}").get_data(as_text=True)
    for words in ("Store S12, register R1", "Grand total jump", "Z missing", "Register reset",
                  "Z106", "never reached Kassabok", "went down by", "Not explained"):  # fmt: skip
        assert words in page, words
    assert "Mark explained" not in page  # an auditor reads, never explains
    auth.logout()
    auth.login("shop@example.com")
    mine = client.get(f"/c/{company.id}/evidence/chain?month={NOV}").get_data(as_text=True)
    assert "Store S14, register R1" in mine and "S12" not in mine


def test_an_accountant_explains_a_break_once_with_a_comment(client, auth, chain, session) -> None:
    company, _s12 = chain
    auth.login("acc@example.com")
    url = f"/c/{company.id}/evidence/chain"
    key = "z_gap::S12:R1:106"
    empty = client.post(f"{url}/explain", data={"key": key, "month": NOV, "comment": " "})
    assert empty.status_code == 422 and "Write a comment" in empty.get_data(as_text=True)
    unknown = client.post(f"{url}/explain", data={"key": "z_gap::S99:R1:1", "month": NOV,
                                                  "comment": "x"})  # fmt: skip
    assert unknown.status_code == 404
    done = client.post(f"{url}/explain", data={"key": key, "month": NOV,
                                               "comment": "Z106 was a test print"})  # fmt: skip
    assert done.status_code == 303 and done.headers["Location"].endswith("#break-z_gap-S12-R1-106")
    page = client.get(f"{url}?month={NOV}").get_data(as_text=True)
    assert "Z106 was a test print" in page and page.count("Mark explained") == 3
    auth.logout()
    auth.login("aud@example.com")
    refused = client.post(f"{url}/explain", data={"key": key, "month": NOV, "comment": "x"})
    assert refused.status_code == 403


def test_a_month_that_is_no_month_says_how_to_write_it(client, auth, chain) -> None:
    company, _s12 = chain
    auth.login("acc@example.com")
    resp = client.get(f"/c/{company.id}/evidence/chain?month=november")
    assert resp.status_code == 422 and "write it as YYYY-MM" in resp.get_data(as_text=True)


def test_the_vat_page_is_for_readers_and_run_by_editors(client, auth, chain) -> None:
    company, _s12 = chain
    url = f"/c/{company.id}/evidence/vat"
    auth.login("shop@example.com")
    assert client.get(f"{url}?month={NOV}").status_code == 403
    assert client.get(f"/c/{company.id}/evidence/sie?month={NOV}").status_code == 403
    auth.logout()
    auth.login("aud@example.com")
    page = client.get(f"{url}?month={NOV}").get_data(as_text=True)
    assert "has not been read from Fortnox yet" in page and "Read Fortnox" not in page
    assert client.post(url, data={"month": NOV}).status_code == 403
    auth.logout()
    auth.login("acc@example.com")
    failed = client.post(url, data={"month": NOV})  # no Fortnox connection
    assert failed.status_code == 503 and "Fortnox could not be read" in failed.get_data(
        as_text=True
    )
