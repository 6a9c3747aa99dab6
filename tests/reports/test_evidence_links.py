"""The reports page links the chosen period's SIE 4 files, VAT tie-outs and Z-chains by month."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.reports.forms import last_month
from tests.factories import make_user

HTMX = {"HX-Request": "true"}


@pytest.fixture
def people(session, month) -> dict[str, str]:
    """An auditor and a store manager of the month's company (anna@cafe.se is its accountant)."""
    make_user(session, "ada@cafe.se", month.company, "auditor")
    make_user(session, "shop@cafe.se", month.company, "store_manager", stores=month.stores[:1])
    return {"accountant": "anna@cafe.se", "auditor": "ada@cafe.se", "store_manager": "shop@cafe.se"}


def links(html: str) -> list[str]:
    """The evidence links of html's evidence section, in order (the navigation has its own)."""
    section = html[html.index('id="report-evidence"') :].split("</section>", 1)[0]
    return re.findall(r'href="(/c/\d+/evidence/[^"]+)"', section)


def test_the_page_links_the_default_periods_month(client, auth, month, people) -> None:
    """Last month (the form's period) has its SIE 4 file, VAT tie-out and Z-chain."""
    auth.login(people["auditor"])
    page = client.get(f"/c/{month.company.id}/reports").get_data(as_text=True)
    key = last_month(date.today())[0].strftime("%Y-%m")
    base = f"/c/{month.company.id}/evidence"
    assert links(page) == [f"{base}/sie?month={key}", f"{base}/vat?month={key}",
                           f"{base}/chain?month={key}"]  # fmt: skip
    assert 'id="report-evidence"' in page and "SIE 4 file" in page
    assert 'hx-trigger="change from:#order-report"' in page  # follows the form's dates


@pytest.mark.parametrize("role", ["auditor", "accountant"])
def test_the_chosen_period_gives_a_row_a_month_that_opens(client, auth, month, people, role):
    """October to November: two months; every link opens for the reader, the SIE file too."""
    auth.login(people[role])
    url = f"/c/{month.company.id}/reports/evidence?start=2026-10-15&end=2026-11-14&language=sv"
    fragment = client.get(url, headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html
    found = links(html)
    assert [link.rsplit("=", 1)[1] for link in found] == ["2026-10"] * 3 + ["2026-11"] * 3
    assert "October 2026" in html and "November 2026" in html
    for link in found:
        answer = client.get(link)
        assert answer.status_code == 200, link
    sie = client.get(found[0])
    assert 'filename="kassabok-556677-8899-2026-10.se"' in sie.headers["Content-Disposition"]
    assert sie.data.startswith(b"#FLAGGA")


def test_a_period_that_is_no_period_links_nothing(client, auth, month, people) -> None:
    """An end before the start, or more than a year: no months, and a line saying what to do."""
    auth.login(people["accountant"])
    base = f"/c/{month.company.id}/reports/evidence"
    for query in ("start=2026-11-01&end=2026-10-01", "start=2026-01-01&end=2027-06-30"):
        html = client.get(f"{base}?{query}", headers=HTMX).get_data(as_text=True)
        assert links(html) == [] and "Choose a period that ends after it starts" in html
    garbled = client.get(f"{base}?start=yesterday", headers=HTMX).get_data(as_text=True)
    assert len(links(garbled)) == 3  # no dates read: last month, as the form starts


def test_a_store_manager_gets_neither_the_links_nor_what_they_open(
    client, auth, month, people
) -> None:
    """The reports, the SIE file and the VAT tie-out are for readers of the books: 403."""
    auth.login(people["store_manager"])
    at = f"/c/{month.company.id}"
    for url in (f"{at}/reports", f"{at}/reports/evidence?start=2026-10-01&end=2026-10-31",
                f"{at}/evidence/sie?month=2026-10",
                f"{at}/evidence/vat?month=2026-10"):  # fmt: skip
        assert client.get(url).status_code == 403, url


def test_swedish_readers_read_the_months_in_swedish(client, auth, session, month, people) -> None:
    """The month names and link texts follow the reader's language."""
    from sqlmodel import select

    from app.auth.models import User

    ada = session.exec(select(User).where(User.email == people["auditor"])).one()
    ada.locale = "sv"
    session.commit()
    auth.login(people["auditor"])
    url = f"/c/{month.company.id}/reports/evidence?start=2026-10-01&end=2026-10-31"
    html = client.get(url, headers=HTMX).get_data(as_text=True)
    assert "Oktober 2026" in html and "SIE 4-fil" in html and "Momsavstämning" in html
