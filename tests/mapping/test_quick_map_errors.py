"""A quick map that cannot be saved says which code and what to fix, beside that code's field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from app.companies.models import Company
from app.mapping import service
from tests.mapping.conftest import fixture

HX = {"HX-Request": "true"}


@pytest.fixture
def amex(
    client: FlaskClient, auth: Any, company: Company, add_closure: Callable[..., Any]
) -> Company:
    """The BAS mapping saved, and a closure paid by AMEX, which it does not map."""
    add_closure(company, fixture("amex-custom-method"))
    auth.login("accountant@example.com")
    client.post(f"/c/{company.id}/mapping/bas-default", headers=HX)
    return company


def quick(client: FlaskClient, company: Company, account: str) -> str:
    """Quick-map AMEX to account; the editor fragment answered."""
    data = {"section": "payment_methods", "key": "AMEX", "account": account}
    answer = client.post(f"/c/{company.id}/mapping/quick", headers=HX, data=data)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def unmapped_row(html: str) -> str:
    """The AMEX row of the "Seen in closures, unmapped" table."""
    table = html.split('id="unmapped-title"', 1)[1].split("</table>", 1)[0]
    return table.split("<code>AMEX</code>", 1)[1].split("</tr>", 1)[0]


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Type the account AMEX is booked to (4 digits, e.g. 1580), then Map."),
        ("15", "must be an account number of 4 digits"),
    ],
)
def test_a_quick_map_not_saved_says_which_code_and_why_beside_its_field(
    client: FlaskClient, session: Session, amex: Company, typed: str, says: str
) -> None:
    html = quick(client, amex, typed)
    row = unmapped_row(html)
    assert f'value="{typed}" aria-invalid="true" aria-describedby="quick-1-error"' in row
    assert '<p class="field__errors" id="quick-1-error" role="alert">' in row and says in row
    assert "1 problem" not in html  # no count at the top that does not say which
    assert service.latest_mapping(session, amex.id).version == 1


def test_the_unmapped_code_is_named_in_words_not_by_its_section_key(
    client: FlaskClient, amex: Company
) -> None:
    page = client.get(f"/c/{amex.id}/mapping/").get_data(as_text=True)
    row = unmapped_row(page)
    assert "payment_methods" not in row.split("<td>")[0]
    assert '<span class="muted">payment method</span>' in row
