"""An upload's problems in the reader's language on the page; English for the API's machines."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from flask_babel import force_locale
from sqlmodel import Session

from app.closures.problems import said
from tests.closures.ingest_support import closure
from tests.closures.test_upload import upload
from tests.factories import make_company, make_store, make_user


@pytest.fixture
def base(session: Session) -> str:
    company = make_company(session)
    make_store(session, company, "S12")
    make_user(session, "sv@example.se", company, "accountant", locale="sv")
    make_user(session, "en@example.se", company, "accountant", locale="en")
    return f"/c/{company.id}/closures"


def _bad() -> str:
    """Two refused closures: one lacks a field, one's line does not add up."""
    missing, off = closure(closure_id="bad-1"), closure(closure_id="bad-2")
    del missing["z_number"]
    off["sales"][0]["gross"] = "1.00"
    return json.dumps(missing) + "\n" + json.dumps(off) + "\n"


def _problems(page: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li><code>.*?</li>", page)]


def test_a_swedish_reader_reads_the_problems_in_swedish(client, auth, base) -> None:
    auth.login("sv@example.se")
    problems = _problems(upload(client, base, _bad()).get_data(as_text=True))
    missing = '/z_number Det obligatoriska fältet "z_number" saknas; lägg till det.'
    assert missing in problems, problems
    assert any(p.startswith("/sales/0/gross brutto 1.00 är inte") for p in problems), problems
    assert not any("is missing" in p or " is not net + vat" in p for p in problems)
    rejected = client.get(f"{base}/rejected").get_data(as_text=True)
    assert "Det obligatoriska fältet" in rejected and "is missing; add it" not in rejected


def test_an_english_reader_and_the_api_keep_the_english(client, auth, base) -> None:
    auth.login("en@example.se")
    problems = _problems(upload(client, base, _bad()).get_data(as_text=True))
    assert any('Required field "z_number" is missing; add it.' in p for p in problems), problems


def test_a_message_no_template_says_stays_as_it_is(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("sv"):
        assert (
            said("Something nobody wrote a template for.")
            == "Something nobody wrote a template for."
        )
        assert said("") == ""
